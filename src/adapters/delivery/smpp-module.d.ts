// The parts of the `smpp` package (0.5, no published types) that simexit and its tests use.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  /** A decoded PDU: its parameters and TLVs are properties named as in the SMPP 3.4 specification. */
  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [parameter: string]: any;
    response(options?: Record<string, unknown>): PDU;
    isResponse(): boolean;
  }

  type Callback = (pdu: PDU) => void;
  type Command = (options?: Record<string, unknown>, onResponse?: Callback, onSent?: Callback) => boolean;

  export interface Session extends EventEmitter {
    send(pdu: PDU, onResponse?: Callback, onSent?: Callback): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    bind_transceiver: Command;
    submit_sm: Command;
    deliver_sm: Command;
    enquire_link: Command;
    unbind: Command;
    generic_nack: Command;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export interface Encoding {
    match(value: string): boolean;
    encode(value: string): Buffer;
    decode(value: Buffer): string;
  }

  interface Smpp {
    connect(options: { host: string; port: number; tls?: boolean; auto_enquire_link_period?: number }, listener?: () => void): Session;
    createServer(listener: (session: Session) => void): Server;
    createServer(options: Record<string, unknown>, listener: (session: Session) => void): Server;
    addTLV(tag: string, options: { id: number; type: unknown }): void;
    types: { tlv: { cstring: unknown; int8: unknown; int16: unknown; buffer: unknown } };
    encodings: { ASCII: Encoding; LATIN1: Encoding; UCS2: Encoding };
    /** A PDU to send (a command and its fields), or one read back from its bytes. */
    PDU: { new (command: string, options?: Record<string, unknown>): PDU & { toBuffer(): Buffer }; new (buffer: Buffer): PDU };
    ENCODING: Record<string, number>;
    ESM_CLASS: Record<string, number>;
    MESSAGE_STATE: Record<string, number>;
    REGISTERED_DELIVERY: Record<string, number>;
    TON: Record<string, number>;
    NPI: Record<string, number>;
    errors: Record<string, number>;
    [name: `ESME_${string}`]: number;
  }

  const smpp: Smpp;
  export default smpp;
}
