// The status page: picks a talks, shows its status, follows new developments live over the
// API's WebSocket feed (re-reading what each message announces), and travels back through
// versions with the API's atVersion, or to a moment of valid time with validAt ("the talks as
// they stood on 26 November"). Served without a live endpoint, it polls with If-None-Match
// instead (a 304 costs the API one read and sends no body). Plain ES modules: no build step.
import { when } from './format.js';
import { connectLive } from './live.js';
import { pageSafe } from './printable.js';
import { renderPicker, renderStatus, updatePickerEntry } from './render.js';

const params = new URLSearchParams(location.search);
// ?poll=<ms> lets a test (or a newsroom screen) poll faster than every 5 seconds, where there is no live feed.
const pollMs = Math.max(200, Number(params.get('poll')) || 5000);
// Filled in by the server as it serves the page: the live updates' ws:// or wss:// URL, or empty.
const liveUrl = document.querySelector('meta[name="talks-live-url"]')?.content || null;
let live = null;
// summaries: version → the development in the API's words (the domain's, also lastDevelopment's).
// viewing: the past version shown (atVersion), validAt: the past moment shown; null for the latest.
const state = {
  talksId: null,
  latest: null,
  etag: null,
  history: [],
  summaries: new Map(),
  viewing: null,
  validAt: params.get('validAt'),
  timer: null,
  request: 0,
};
const byId = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// Deployments with private reads need a bearer token: asked for on a 401, kept per tab.
const tokenKey = 'talks-status-token';
const token = () => sessionStorage.getItem(tokenKey);

/** Paths are relative, so the page also works under a stage prefix such as /prod/. */
async function api(path, headers = {}, init = {}) {
  const auth = token() ? { authorization: `Bearer ${token()}` } : {};
  const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...auth, ...headers } });
  if (response.status === 304) return { status: 304 };
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(`${problem.title ?? response.statusText}: ${problem.detail ?? `HTTP ${response.status}`}`, response.status);
  }
  return { status: response.status, body: await response.json(), etag: response.headers.get('etag') };
}

const talksPath = (id, rest = '') => `talks/${encodeURIComponent(id)}${rest}`;

/** The events after a version, and their summaries (version → words) as the API gives them. */
async function historyAfter(id, after) {
  const events = [];
  const summaries = new Map();
  for (let next = after; next !== null; ) {
    const { body } = await api(talksPath(id, `/events?after=${next}&limit=1000`));
    events.push(...body.items);
    for (const { version, summary } of body.summaries) summaries.set(version, summary);
    next = body.nextAfter;
  }
  return { events, summaries };
}

function showError(error) {
  const box = byId('error');
  box.textContent = error ? pageSafe(`Could not load the status. ${error.message}`) : '';
  box.hidden = !error;
  const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
  byId('sign-in').hidden = !refused;
  if (refused) {
    byId('sign-in-why').textContent =
      error.status === 401
        ? token()
          ? 'The API refused this access token (expired or not valid here). Paste another one with the talks/read scope.'
          : "This deployment's reads need an access token with the talks/read scope."
        : 'This access token lacks the talks/read scope. Paste one that has it.';
    clearTimeout(state.timer);
    // The feed would refuse the same token: it is reopened once another is given.
    live?.close();
    if (live !== null) showLiveState('Not live: waiting for an access token', 'reconnecting');
  }
  byId('forget-token').hidden = !token();
}

const announce = (text) => {
  byId('live-note').textContent = text;
};

function updateSlider() {
  const slider = byId('version-slider');
  const max = state.latest.version;
  const value = state.viewing ?? max;
  slider.max = String(max);
  slider.value = String(value);
  slider.disabled = max <= 1;
  slider.setAttribute('aria-valuetext', `version ${value} of ${max}${value === max ? ', the latest' : ''}`);
  byId('version-output').textContent = `${value} of ${max}`;
  byId('back-to-latest').disabled = state.viewing === null && state.validAt === null;
  const event = state.history.find((e) => e.version === value);
  byId('version-detail').textContent =
    state.validAt !== null
      ? pageSafe(`Viewing the past: the talks as they stood on ${when(state.validAt)}, as known now`)
      : event
        ? pageSafe(
            `${state.viewing === null ? 'Latest' : 'Viewing the past'}: version ${value}, recorded ${when(event.recordedAt)} — ${state.summaries.get(value) ?? ''}`,
          )
        : '';
}

/** "2023-11-26T18:00" as the datetime-local input holds it, for a UTC ISO time. */
const inputValue = (iso) => new Date(iso).toISOString().slice(0, 16);

/** Shows the talks as they stood at a moment of valid time (the API's validAt), judged at that moment. */
async function showValidAt(iso) {
  const request = ++state.request;
  const { body: status } = await api(talksPath(state.talksId, `?validAt=${encodeURIComponent(iso)}`));
  if (request !== state.request) return;
  Object.assign(state, { viewing: null, validAt: iso });
  byId('valid-at-input').value = inputValue(iso);
  renderStatus(status, state.history, state.summaries, Date.parse(status.judgedAt));
  document.body.classList.add('past');
  updateSlider();
}

/** Shows the latest status, or the status right after a past version. */
async function show(version) {
  const request = ++state.request;
  const live = version === null || version >= state.latest.version;
  const status = live ? state.latest : (await api(talksPath(state.talksId, `?atVersion=${version}`))).body;
  if (request !== state.request) return; // a later slider move won
  state.viewing = live ? null : version;
  state.validAt = null;
  // A past view is judged when that version was recorded, as the API judges it (judgedAt).
  renderStatus(status, state.history, state.summaries, live ? Date.now() : Date.parse(status.judgedAt));
  document.body.classList.toggle('past', !live);
  updateSlider();
}

/**
 * Brings the shown talks up to date: the current status if it changed (If-None-Match), and
 * the events since the last one shown. `atLeast` is a version a live message announced: a
 * cache may still hold the status before it, and then that version itself is read (immutable).
 */
async function refresh(atLeast) {
  const id = state.talksId;
  if (state.latest === null) return;
  try {
    // Past the browser's cache (the page revalidates with its own ETag): within the status's
    // max-age it would answer the version before the one a change message just announced.
    let result = await api(talksPath(id), state.etag ? { 'if-none-match': state.etag } : {}, { cache: 'no-cache' });
    if ((result.status === 304 ? state.latest.version : result.body.version) < atLeast)
      result = await api(talksPath(id, `?atVersion=${atLeast}`));
    if (id !== state.talksId || result.status === 304 || result.body.version <= state.latest.version) return;
    const before = state.latest.version;
    state.latest = result.body;
    state.etag = result.etag;
    const fresh = await historyAfter(id, state.history.at(-1)?.version ?? 0);
    if (id !== state.talksId) return;
    state.history.push(...fresh.events);
    for (const [version, summary] of fresh.summaries) state.summaries.set(version, summary);
    const added = state.latest.version - before;
    updatePickerEntry(state.latest);
    if (state.viewing === null && state.validAt === null) {
      await show(null);
      announce(`Updated: ${added} new development${added === 1 ? '' : 's'}, now at version ${state.latest.version}.`);
    } else {
      updateSlider();
      announce(`${added} new development${added === 1 ? '' : 's'} since this view; use “Back to latest” to see them.`);
    }
    showError(null);
  } catch (error) {
    showError(error);
  }
}

// One refresh at a time (two at once would append the same events twice). A change message
// asks for a version (the feed delivers at least once, so it may repeat one already read);
// a reconnection asks for whatever is there (atLeast 0). Another round runs only for what
// is still owed, so a repeated message costs no read.
const refreshing = { running: false, unconditional: false, wanted: 0 };
async function refreshSoon(atLeast = 0) {
  if (atLeast === 0) refreshing.unconditional = true;
  refreshing.wanted = Math.max(refreshing.wanted, atLeast);
  if (refreshing.running) return;
  refreshing.running = true;
  try {
    for (;;) {
      const before = state.latest?.version ?? 0;
      if (!refreshing.unconditional && (state.latest === null || refreshing.wanted <= before)) break;
      refreshing.unconditional = false;
      await refresh(refreshing.wanted);
      // No progress (refresh shows its error): the next message or reconnection tries again, no spinning.
      if (!refreshing.unconditional && (state.latest?.version ?? 0) === before) break;
    }
  } finally {
    refreshing.running = false;
  }
}

async function poll() {
  const id = state.talksId;
  await refresh(0);
  if (id === state.talksId) state.timer = setTimeout(poll, pollMs);
}

function showLiveState(text, kind) {
  const box = byId('live-state');
  box.textContent = text;
  box.dataset.state = kind;
}

/** The live feed, (re)opened with the current token; messages for other talks never reach here. */
function startLive() {
  live?.close();
  showLiveState('Connecting…', 'reconnecting');
  live = connectLive({
    url: liveUrl,
    token,
    onState: (kind) => showLiveState(kind === 'live' ? 'Live' : 'Reconnecting…', kind),
    onChange: (message) => {
      if (state.latest !== null && message.version > state.latest.version) void refreshSoon(message.version);
    },
    // Whatever happened while the connection was down is read now.
    onSubscribed: () => void refreshSoon(0),
  });
}

async function selectTalks(id) {
  clearTimeout(state.timer);
  const validAt = state.talksId === null ? state.validAt : null; // a ?validAt= link applies to the talks it opens
  Object.assign(state, { talksId: id, latest: null, etag: null, history: [], summaries: new Map(), viewing: null, validAt: null });
  refreshing.wanted = 0;
  // Subscribed before the first read, so that nothing appended in between is missed.
  live?.follow(id);
  if (location.hash !== `#${encodeURIComponent(id)}`) history.replaceState(null, '', `#${encodeURIComponent(id)}`);
  try {
    const result = await api(talksPath(id));
    state.latest = result.body;
    state.etag = result.etag;
    ({ events: state.history, summaries: state.summaries } = await historyAfter(id, 0));
    await (validAt === null ? show(null) : showValidAt(new Date(validAt).toISOString()));
    document.title = pageSafe(`${state.latest.title} · Talks status`);
    // A note about the talks shown before would mislead: say what is shown now.
    announce(pageSafe(`Showing ${state.latest.title}, version ${state.latest.version}.`));
    showError(null);
  } catch (error) {
    showError(error);
  }
  if (live === null) state.timer = setTimeout(poll, pollMs);
  // A change announced while the first read was under way.
  else void refreshSoon(0);
}

function setUpSignIn() {
  byId('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(tokenKey, byId('token-input').value.trim());
    byId('token-input').value = '';
    byId('sign-in').hidden = true;
    void load();
  });
  byId('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(tokenKey);
    location.reload();
  });
}

async function start() {
  setUpSignIn();
  const picker = byId('talks-picker');
  picker.addEventListener('change', () => selectTalks(picker.value));
  let debounce;
  byId('version-slider').addEventListener('input', (event) => {
    const version = Number(event.target.value);
    byId('version-output').textContent = `${version} of ${state.latest.version}`;
    clearTimeout(debounce);
    debounce = setTimeout(() => show(version === state.latest.version ? null : version).catch(showError), 150);
  });
  byId('valid-at-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = byId('valid-at-input').value;
    if (value) showValidAt(new Date(`${value}Z`).toISOString()).catch(showError);
  });
  byId('back-to-latest').addEventListener('click', () =>
    show(null)
      .then(() => byId('version-slider').focus())
      .catch(showError),
  );
  await load();
}

/** Lists the talks and opens the one in the URL (or the most recently active). */
async function load() {
  if (liveUrl === null) showLiveState(`Not live: checking every ${Math.round(pollMs / 100) / 10} s`, 'polling');
  // (Re)opened here: a token given through the sign-in form must reach the live feed too.
  else startLive();
  try {
    const { body } = await api('talks?limit=100');
    const wanted = decodeURIComponent(location.hash.slice(1));
    const selected = body.items.some((t) => t.talksId === wanted) ? wanted : body.items[0]?.talksId;
    renderPicker(body.items, selected);
    if (selected === undefined) {
      byId('talks-title').textContent = 'No talks yet';
      return;
    }
    await selectTalks(selected);
  } catch (error) {
    showError(error);
  }
}

void start();
