/**
 * Jupyter messaging 5.3 on the wire: connection files, message framing, HMAC signing and verification.
 * Pure functions over frames (Buffers); the zeromq sockets live in sockets.ts. Used by the kernel and by
 * clients (the notebook runner).
 */
import { createHmac, getHashes, randomUUID, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { SimlabError } from "../../core/errors.js";

export const PROTOCOL_VERSION = "5.3";
export const DELIMITER = "<IDS|MSG>";

/** The connection file Jupyter writes for a kernel (`-f CONN`). */
export interface ConnectionInfo {
  transport: string;
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export type JsonObject = Record<string, unknown>;

export interface JupyterMessage<C extends JsonObject = JsonObject> {
  /** zeromq routing identities (ROUTER sockets) or the topic (IOPub). */
  identities: Buffer[];
  header: MessageHeader;
  /** The parent's header, or `{}` for a message without a parent. */
  parent_header: Partial<MessageHeader>;
  metadata: JsonObject;
  content: C;
  buffers: Buffer[];
}

/**
 * Reads and checks a connection file. A missing `key` means an empty one (signing off, legal in Jupyter:
 * the kernel warns); a key that is not a string, an unknown signature scheme, a missing port or an unknown
 * transport is a SimlabError here, at start, instead of a shell loop that dies on the first message.
 */
export async function readConnectionFile(path: string): Promise<ConnectionInfo> {
  let info: Partial<Record<keyof ConnectionInfo, unknown>>;
  try {
    info = JSON.parse(await readFile(path, "utf8")) as Partial<Record<keyof ConnectionInfo, unknown>>;
  } catch (e) {
    throw new SimlabError(`cannot read connection file ${path}: ${(e as Error).message}`, "Jupyter passes it as `-f {connection_file}`");
  }
  if (typeof info !== "object" || info === null || Array.isArray(info)) throw new SimlabError(`connection file ${path} is not a JSON object`, "Jupyter passes it as `-f {connection_file}`");
  for (const port of ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"] as const) {
    if (typeof info[port] !== "number") throw new SimlabError(`connection file ${path} has no ${port}`);
  }
  const key = info.key ?? "";
  if (typeof key !== "string") {
    throw new SimlabError(`connection file ${path}: key must be a string, not ${JSON.stringify(key)}`, 'Jupyter writes a random hex string; "" turns signing off');
  }
  const scheme = info.signature_scheme ?? "hmac-sha256";
  if (typeof scheme !== "string") throw new SimlabError(`connection file ${path}: signature_scheme must be a string, not ${JSON.stringify(scheme)}`, 'use "hmac-sha256"');
  checkSignatureScheme(scheme, `connection file ${path}: `);
  const transport = info.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") throw new SimlabError(`connection file ${path}: unknown transport ${JSON.stringify(transport)}`, 'use "tcp" or "ipc"');
  return { ip: "127.0.0.1", ...info, transport, key, signature_scheme: scheme } as ConnectionInfo;
}

/** Throws unless `scheme` is `hmac-<hash>` for a hash this Node has (hmac-sha256, the default, always is). Returns the hash. */
function checkSignatureScheme(scheme: string, context = ""): string {
  const [kind, algorithm, ...rest] = scheme.split("-");
  if (kind === "hmac" && algorithm && rest.length === 0 && getHashes().includes(algorithm)) return algorithm;
  throw new SimlabError(`${context}unsupported signature scheme '${scheme}'`, "use hmac-sha256 (or hmac-<hash> for a hash in `openssl list -digest-algorithms`)");
}

/** `tcp://127.0.0.1:5555` (or `ipc://path-5555`) for one of the connection file's ports. */
export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `${info.transport}://${info.ip}:${port}`;
}

/** Signs and verifies the four JSON frames of a message. An empty key disables signing (as in Jupyter). */
export class Signer {
  private readonly algorithm: string;
  constructor(
    private readonly key: string,
    scheme = "hmac-sha256",
  ) {
    if (typeof key !== "string") throw new SimlabError("the signing key must be a string", 'Jupyter writes a random hex string; "" turns signing off');
    this.algorithm = checkSignatureScheme(scheme);
  }

  sign(frames: readonly Buffer[]): string {
    if (this.key === "") return "";
    const hmac = createHmac(this.algorithm, this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  }

  verify(signature: string, frames: readonly Buffer[]): boolean {
    if (this.key === "") return true;
    const expected = Buffer.from(this.sign(frames), "utf8");
    const given = Buffer.from(signature, "utf8");
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** Thrown by decodeMessage for frames that are not a valid, correctly signed message. */
export class WireError extends Error {
  override readonly name = "WireError";
}

export function newHeader(msgType: string, session: string, username = "simlab"): MessageHeader {
  return { msg_id: randomUUID(), session, username, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

/** A new message; with `parent`, a reply or side effect of it (its identities and header as parent_header). */
export function createMessage<C extends JsonObject>(
  msgType: string,
  content: C,
  options: { session: string; parent?: JupyterMessage; identities?: Buffer[]; metadata?: JsonObject; username?: string } = { session: randomUUID() },
): JupyterMessage<C> {
  const parent = options.parent;
  return {
    identities: options.identities ?? parent?.identities ?? [],
    header: newHeader(msgType, options.session, options.username ?? parent?.header.username),
    parent_header: parent ? parent.header : {},
    metadata: options.metadata ?? {},
    content,
    buffers: [],
  };
}

/** Frames to send: identities, delimiter, signature, header, parent_header, metadata, content, buffers. */
export function encodeMessage(message: JupyterMessage, signer: Signer): Buffer[] {
  const json = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
    Buffer.from(JSON.stringify(part), "utf8"),
  );
  return [...message.identities, Buffer.from(DELIMITER), Buffer.from(signer.sign(json)), ...json, ...message.buffers];
}

/** Parses received frames; throws WireError when the framing is wrong or the signature does not match. */
export function decodeMessage(frames: readonly Buffer[], signer: Signer): JupyterMessage {
  const at = frames.findIndex((frame) => frame.length === DELIMITER.length && frame.toString() === DELIMITER);
  if (at < 0) throw new WireError("no <IDS|MSG> delimiter");
  if (frames.length < at + 6) throw new WireError(`too few frames (${frames.length})`);
  const signature = frames[at + 1]!.toString();
  const json = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, json)) throw new WireError("bad HMAC signature");
  let parsed: unknown[];
  try {
    parsed = json.map((frame) => JSON.parse(frame.toString("utf8")) as unknown);
  } catch (e) {
    throw new WireError(`malformed JSON frame: ${(e as Error).message}`);
  }
  const [header, parentHeader, metadata, content] = parsed as [MessageHeader, Partial<MessageHeader>, JsonObject, JsonObject];
  if (typeof header?.msg_type !== "string") throw new WireError("header has no msg_type");
  return {
    identities: frames.slice(0, at),
    header,
    parent_header: parentHeader ?? {},
    metadata: metadata ?? {},
    content: content ?? {},
    buffers: frames.slice(at + 6),
  };
}
