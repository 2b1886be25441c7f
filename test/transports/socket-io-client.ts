import { io, type Socket } from 'socket.io-client';

export interface SocketOptions {
  /** Sent as the handshake's `auth.token`. */
  token?: unknown;
  /** Handshake HTTP headers (e.g. `Authorization`). */
  headers?: Record<string, string>;
}

/** A socket.io client for one namespace of the app, WebSocket transport only, never reconnecting. */
export function openSocket(url: string, namespace: string, options: SocketOptions = {}): Socket {
  return io(`${url}/${namespace}`, {
    transports: ['websocket'],
    auth: options.token === undefined ? {} : { token: options.token },
    extraHeaders: options.headers,
    reconnection: false,
    forceNew: true,
  });
}

/** Resolves once connected; rejects with the server's `connect_error`. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

/** The handler's answer (`ack`) or the `exception` Nest's WebSocket filter emitted instead. */
export function send(socket: Socket, event: string, data: unknown = {}): Promise<{ ack?: unknown; exception?: unknown }> {
  return new Promise((resolve) => {
    const onException = (exception: unknown) => resolve({ exception });
    socket.once('exception', onException);
    socket.emit(event, data, (ack: unknown) => {
      socket.off('exception', onException);
      resolve({ ack });
    });
  });
}

/** The first `event` the server emits. */
export function next<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (payload: T) => resolve(payload)));
}
