// Live updates over the API's WebSocket feed (README, "Live updates"): one connection,
// subscribed to the talks shown, reconnecting with backoff. The page re-reads over HTTP
// whatever a message announces, so a lost or duplicated message costs nothing but a read.

const protocol = 'talks-live.v1';
// API Gateway closes a connection idle for 10 minutes; browsers cannot send ping frames.
const keepAliveMs = 5 * 60 * 1000;

/**
 * Follows one talks at a time. `onChange(message)` gets every change message of the talks
 * followed; `onSubscribed()` runs each time the subscription is (re)established, when the
 * caller re-reads to cover what it may have missed; `onState('live' | 'reconnecting')`.
 */
export function connectLive({ url, token, onChange, onSubscribed, onState }) {
  let socket = null;
  let talksId = null;
  let attempt = 0;
  let retry = null;
  let keepAlive = null;
  let closed = false;

  const send = (message) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  const open = () => {
    // The token rides as a second offered subprotocol: browsers cannot set headers here.
    const protocols = token() ? [protocol, `bearer.${token()}`] : [protocol];
    socket = new WebSocket(url, protocols);
    socket.addEventListener('open', () => {
      attempt = 0;
      if (talksId !== null) send({ action: 'subscribe', talksIds: [talksId] });
      keepAlive = setInterval(() => send({ action: 'ping' }), keepAliveMs);
    });
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === 'subscriptions' && talksId !== null && message.talksIds.includes(talksId)) {
        onState('live');
        onSubscribed();
      } else if (message.type === 'change' && message.talksId === talksId) onChange(message);
    });
    socket.addEventListener('close', () => {
      clearInterval(keepAlive);
      if (closed) return;
      onState('reconnecting');
      // 0.5 s doubling to 15 s, with jitter so that a restarted server is not stampeded.
      const delay = Math.min(15_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      retry = setTimeout(open, delay);
    });
  };

  open();
  return {
    follow(id) {
      if (talksId !== null && talksId !== id) send({ action: 'unsubscribe', talksIds: [talksId] });
      talksId = id;
      send({ action: 'subscribe', talksIds: [id] });
    },
    close() {
      closed = true;
      clearTimeout(retry);
      socket?.close();
    },
  };
}
