/**
 * Request templates for a provisioning gateway: the operator writes the body (JSON or a SOAP envelope), the URL
 * and the headers with `{{msisdn}}`, `{{iccid}}`, `{{key}}` (the step's key, the transaction id) and `{{at}}`;
 * each value is escaped for where it lands, so a value can never change the request's structure.
 */
export const PLACEHOLDERS = ['msisdn', 'iccid', 'key', 'at'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Readonly<Record<Placeholder, string>>;

const PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** How a value is escaped for each place a template sits. */
export const escapers = {
  /** Inside a JSON string: the template writes the quotes, `"msisdn": "{{msisdn}}"`. */
  json: (v: string) => JSON.stringify(v).slice(1, -1),
  /** Element text or an attribute value of an XML (SOAP) body. */
  soap: (v: string) => v.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] as string),
  url: (v: string) => encodeURIComponent(v),
  /** A header value: a line break would start a new header. */
  header: (v: string) => v.replace(/[\r\n]+/g, ' '),
} as const;

/** The names a template uses that are not placeholders (a typo such as `{{msidsn}}`). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PATTERN)].map((m) => m[1] as string).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
}

export function renderTemplate(template: string, values: TemplateValues, escape: (value: string) => string): string {
  return template.replace(PATTERN, (whole, name: string) => ((PLACEHOLDERS as readonly string[]).includes(name) ? escape(values[name as Placeholder]) : whole));
}
