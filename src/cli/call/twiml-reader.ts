/**
 * Reads a TwiML answer the way a voice platform plays it: the verbs in order, what each `<Say>` says and in
 * which language, where a `<Gather>` sends the keys, where a `<Redirect>` or an `<Enqueue>` wait goes. The
 * call simulator plays the platform's part with it. XML is parsed by fast-xml-parser, never by pattern.
 */
import { XMLParser } from 'fast-xml-parser';

export interface Said {
  readonly text: string;
  /** The `language` attribute: ru-RU, en-GB, zh-CN. */
  readonly language: string;
  /** Inside SSML `<prosody rate="slow">`: the caller asked for slow speech. */
  readonly slow: boolean;
}

export type Verb =
  | { readonly verb: 'say'; readonly said: Said }
  | { readonly verb: 'gather'; readonly said: readonly Said[]; readonly numDigits: number | null; readonly timeoutSeconds: number; readonly finishOnKey: string; readonly action: string; readonly actionOnEmptyResult: boolean }
  | { readonly verb: 'redirect'; readonly url: string }
  | { readonly verb: 'enqueue'; readonly queue: string; readonly waitUrl: string | null }
  | { readonly verb: 'dial'; readonly number: string }
  | { readonly verb: 'hangup' };

type Node = Record<string, unknown>;

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: true, processEntities: true });

const nameOf = (node: Node): string | undefined => Object.keys(node).find((k) => k !== ':@');
const attributesOf = (node: Node): Record<string, string> => (node[':@'] as Record<string, string> | undefined) ?? {};
const childrenOf = (node: Node): Node[] => {
  const name = nameOf(node);
  const children = name ? node[name] : undefined;
  return Array.isArray(children) ? (children as Node[]) : [];
};

/** The text under a node, SSML tags taken away (the words are what a caller hears). */
function textOf(nodes: readonly Node[]): string {
  return nodes
    .map((n) => (typeof n['#text'] === 'string' || typeof n['#text'] === 'number' ? String(n['#text']) : textOf(childrenOf(n))))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const hasSlowProsody = (nodes: readonly Node[]): boolean => nodes.some((n) => (nameOf(n) === 'prosody' && /slow/.test(attributesOf(n).rate ?? '')) || hasSlowProsody(childrenOf(n)));

function sayOf(node: Node): Said {
  const children = childrenOf(node);
  return { text: textOf(children), language: attributesOf(node).language ?? '', slow: hasSlowProsody(children) };
}

/** The verbs of a `<Response>`, in order; an answer that is not TwiML throws, saying what came instead. */
export function readTwiml(xml: string): Verb[] {
  let document: Node[];
  try {
    document = parser.parse(xml) as Node[];
  } catch (e) {
    throw new Error(`not TwiML: ${(e as Error).message}`, { cause: e });
  }
  const response = document.find((n) => nameOf(n) === 'Response');
  if (!response) throw new Error(`not TwiML (no <Response>): ${xml.slice(0, 200)}`);
  const verbs: Verb[] = [];
  for (const node of childrenOf(response)) {
    const a = attributesOf(node);
    switch (nameOf(node)) {
      case 'Say':
        verbs.push({ verb: 'say', said: sayOf(node) });
        break;
      case 'Gather':
        verbs.push({
          verb: 'gather',
          said: childrenOf(node).filter((c) => nameOf(c) === 'Say').map(sayOf),
          numDigits: a.numDigits ? Number(a.numDigits) : null,
          timeoutSeconds: a.timeout ? Number(a.timeout) : 5,
          finishOnKey: a.finishOnKey ?? '#',
          action: a.action ?? '',
          actionOnEmptyResult: a.actionOnEmptyResult === 'true',
        });
        break;
      case 'Redirect':
        verbs.push({ verb: 'redirect', url: textOf(childrenOf(node)) });
        break;
      case 'Enqueue':
        verbs.push({ verb: 'enqueue', queue: textOf(childrenOf(node)), waitUrl: a.waitUrl ?? null });
        break;
      case 'Dial':
        verbs.push({ verb: 'dial', number: textOf(childrenOf(node)) });
        break;
      case 'Hangup':
        verbs.push({ verb: 'hangup' });
        break;
      default:
        // A verb the simulator does not play (Pause, Play): the platform would; the caller hears nothing from it here.
        break;
    }
  }
  return verbs;
}
