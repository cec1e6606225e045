/** Text made safe to put inside HTML (the server-rendered verification and demo mailbox pages). */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
