/**
 * The kernel's five zeromq sockets (shell, control, stdin, iopub, heartbeat). Incoming frames are decoded and
 * verified here; badly signed or malformed messages are dropped with a line on stderr.
 */
import * as zmq from "zeromq";
import { type ConnectionInfo, type JupyterMessage, Signer, WireError, decodeMessage, encodeMessage, endpoint } from "./wire.js";

export type Channel = "shell" | "control" | "stdin" | "iopub";
export type MessageHandler = (channel: Channel, message: JupyterMessage) => void;

/** zeromq allows one pending send per socket: queue them. */
class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: zmq.Writable) {}
  send(frames: Buffer[]): Promise<void> {
    this.tail = this.tail.then(() => this.socket.send(frames)).catch((e: unknown) => {
      process.stderr.write(`simlab kernel: send failed: ${(e as Error).message}\n`);
    });
    return this.tail;
  }
}

export class KernelSockets {
  readonly signer: Signer;
  private readonly shell = new zmq.Router();
  private readonly control = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  private readonly heartbeat = new zmq.Reply();
  private readonly queues: Record<Channel, SendQueue>;
  private closed = false;

  constructor(private readonly info: ConnectionInfo) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.queues = {
      shell: new SendQueue(this.shell),
      control: new SendQueue(this.control),
      stdin: new SendQueue(this.stdin),
      iopub: new SendQueue(this.iopub),
    };
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.heartbeat]) socket.linger = 0;
  }

  async bind(): Promise<void> {
    const info = this.info;
    await Promise.all([
      this.shell.bind(endpoint(info, info.shell_port)),
      this.control.bind(endpoint(info, info.control_port)),
      this.stdin.bind(endpoint(info, info.stdin_port)),
      this.iopub.bind(endpoint(info, info.iopub_port)),
      this.heartbeat.bind(endpoint(info, info.hb_port)),
    ]);
  }

  /** Starts the receive loops; `handler` gets every verified message from shell, control and stdin. */
  listen(handler: MessageHandler): void {
    void this.receive("shell", this.shell, handler);
    void this.receive("control", this.control, handler);
    void this.receive("stdin", this.stdin, handler);
    void this.echoHeartbeats();
  }

  send(channel: Channel, message: JupyterMessage): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.queues[channel].send(encodeMessage(message, this.signer));
  }

  close(): void {
    this.closed = true;
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.heartbeat]) socket.close();
  }

  private async receive(channel: Channel, socket: zmq.Router, handler: MessageHandler): Promise<void> {
    try {
      for await (const frames of socket) {
        let message: JupyterMessage;
        try {
          message = decodeMessage(frames, this.signer);
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
          process.stderr.write(`simlab kernel: dropped a message on ${channel}: ${e.message}\n`);
          continue;
        }
        handler(channel, message);
      }
    } catch (e) {
      if (!this.closed) process.stderr.write(`simlab kernel: ${channel} socket failed: ${(e as Error).message}\n`);
    }
  }

  private async echoHeartbeats(): Promise<void> {
    try {
      for await (const frames of this.heartbeat) await this.heartbeat.send(frames);
    } catch (e) {
      if (!this.closed) process.stderr.write(`simlab kernel: heartbeat failed: ${(e as Error).message}\n`);
    }
  }
}
