// Gongkai search page: Pagefind, with the query turned into the same ASCII tokens that
// generator/search/tokens.py adds to the index (Chinese bigrams, runs of digits and Latin
// letters, 索引号 and 文号 tokens), so that a word inside a compound, or A级 inside 4A级, is found
// whatever the segmenters did. On large sites each token also carries the page's group (see
// tokens.py): every group is searched on its own, which keeps Pagefind's per-word scoring,
// quadratic in the pages holding the word, short. A newer search stops an older one, so
// overlapping searches never mix their results. No pop-ups; keyboard friendly.

const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]+/gu;
const HAS_CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]/u;
const ALNUM = /[0-9a-z]+/g;
const PAGE = 10;
const RERANK = PAGE; // only the first page, whose data is fetched anyway
const FILTERS = ["主题分类", "年份", "发布机构", "类型", "有效性"];
const TEXT_FILE = "search.txt"; // an item's readable text, beside its page (generator/search/tokens.py)
const WORDS_FILE = "search/words.json"; // title words and counts (generator/search/words.py)
const LOWER_TOKEN = "gklater"; // on pages ranked after the others (generator/search/tokens.py)
const GROUP_TOKEN = "gkgroup"; // then its label, on every page of a token group (tokens.py)
const SUGGESTIONS = 3; // shown at most
const FEW = 2; // results so few that words one typo away that find more are suggested too
const CANDIDATES = 8; // words tried at most for them (each is a search)

const hex = (ch) => ch.codePointAt(0).toString(16).padStart(5, "0");
const LATIN_CHARS = 32; // a Latin run's token holds at most this many characters (as tokens.py)
// Chinese characters, runs of digits and Latin letters, or anything else (which separates)
const SEGMENT = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]+)|([0-9a-z]+)|[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]+/gu;

// Text as tokens see it: NFKC (full-width Ａ is A) and lower case, as tokens.py search_text.
export const searchText = (text) => text.normalize("NFKC").toLowerCase();

// Chinese runs and Latin runs in order, each with whether it touches the one before and after.
function segments(text) {
  const out = [];
  let last = -1;
  for (const m of text.matchAll(SEGMENT)) {
    if (!m[1] && !m[2]) { last = -1; continue; }
    const seg = { cjk: Boolean(m[1]), chars: Array.from(m[0]), before: null, after: null };
    if (last >= 0) { seg.before = out[last]; out[last].after = seg; }
    out.push(seg);
    last = out.length - 1;
  }
  return out;
}

const bigram = (a, b) => "g" + hex(a) + hex(b);
const latinToken = (chars) => "l" + chars.slice(0, LATIN_CHARS).join("");
const latinEndToken = (chars, after) => "r" + hex(after) + chars.slice().reverse().slice(0, LATIN_CHARS).join("");
// Ends every indexed token, never a query word (tokens.py TOKEN_END: Pagefind would answer a
// word no token starts with by a token that starts it).
const TOKEN_END = "\u03c9";

// The index side, exactly as tokens.py cjk_tokens (tests compare the two), without groups.
export function indexTokens(text) {
  const seen = new Set();
  const starts = new Set();
  const ends = [];
  const latin = new Set();
  for (const seg of segments(searchText(text))) {
    const run = seg.chars;
    const next = seg.after ? seg.after.chars[0] : null;
    if (seg.cjk) {
      for (let i = 0; i + 1 < run.length; i++) { seen.add(bigram(run[i], run[i + 1])); starts.add(run[i]); }
      if (next) { seen.add(bigram(run[run.length - 1], next)); starts.add(run[run.length - 1]); }
      ends.push(run[run.length - 1]);
    } else {
      if (next) seen.add(bigram(run[run.length - 1], next));
      latin.add(latinToken(run));
      if (next) latin.add(latinEndToken(run, next));
    }
  }
  for (const ch of ends) if (!starts.has(ch)) seen.add("g" + hex(ch));
  return [...seen, ...latin].map((token) => token + TOKEN_END);
}

// The query side. For each Chinese run, bigrams that cover it (AB CD for ABCD, AB CD DE for
// ABCDE: every page holding the run holds them, and fewer words mean less scoring); a lone
// character matches as a prefix. A Latin run is the start of a run in the text when nothing or
// a Chinese character comes before it (`l` token, as a prefix), the end of one when a Chinese
// character follows (`r` token, as a prefix); a Chinese character before it is also a bigram.
// All are required.
export function queryTokens(query) {
  const words = new Set();
  for (const seg of segments(searchText(query))) {
    const run = seg.chars;
    if (seg.cjk) {
      if (run.length === 1 && !seg.before && !seg.after) words.add("g" + hex(run[0]));
      for (let i = 0; i + 1 < run.length; i += 2) words.add(bigram(run[i], run[i + 1]));
      if (run.length > 2 && run.length % 2 === 1) words.add(bigram(run[run.length - 2], run[run.length - 1]));
      continue;
    }
    if (seg.before) words.add(bigram(seg.before.chars.at(-1), run[0]));
    if (seg.after) words.add(latinEndToken(run, seg.after.chars[0]));
    if (seg.before || !seg.after) words.add(latinToken(run));
  }
  return [...words].join(" ");
}

export function fnv64(text) {
  const bytes = new TextEncoder().encode(text);
  return [0x811c9dc5, 0x050c5d1f].map((seed) => {
    let h = seed >>> 0;
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    return h.toString(16).padStart(8, "0");
  }).join("");
}

export function normalizeDocNo(text) {
  return Array.from(text.normalize("NFKC").toLowerCase()).filter((c) => /[\p{L}\p{N}]/u.test(c)).join("");
}

// An exact token when the query looks like an index number or a 文号.
export function lookupToken(query) {
  const q = query.normalize("NFKC").trim().toLowerCase();
  if (/^[0-9a-z]+([/\-_.][0-9a-z]+)+$/.test(q) && /\d/.test(q)) return "ix" + q.replace(/[^0-9a-z]/g, "");
  if (/\d{4}/.test(q) && HAS_CJK.test(q) && (/号$/.test(q) || /[〔［\[(【﹝]/.test(q))) {
    return "dn" + fnv64(normalizeDocNo(q));
  }
  return null;
}

const NO_LONGER_IN_FORCE = /已废止|已失效/;

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function terms(query) {
  const text = query.normalize("NFKC");
  const found = [...(text.match(CJK_RUN) || []), ...(text.toLowerCase().replace(CJK_RUN, " ").match(ALNUM) || [])];
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}

function highlight(text, words) {
  if (!words.length) return escapeHtml(text);
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
  let out = "";
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    out += escapeHtml(text.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

export function excerpt(content, query, width = 50) {
  const text = (content || "").replace(/\s+/g, " ").trim();
  const words = terms(query);
  const lower = text.toLowerCase();
  const whole = query.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
  let at = whole ? lower.indexOf(whole) : -1;
  for (const w of words) {
    if (at >= 0) break;
    at = lower.indexOf(w.toLowerCase());
  }
  const start = Math.max(0, (at < 0 ? 0 : at) - width);
  const piece = text.slice(start, start + width * 3);
  return (start > 0 ? "…" : "") + highlight(piece, words) + (start + width * 3 < text.length ? "…" : "");
}

// Where a grouped token carries its group: after its first character (tokens.py).
const GROUP_AT = [[/^g[0-9a-f]{5}([0-9a-f]{5})?$/, 6], [/^r[0-9a-f]{5}[0-9a-z]+$/, 6], [/^l[0-9a-z]+$/, 2]];

// A group as fixed-width digits (tokens.py group_label; only called when there are groups).
const groupLabel = (group, groups) => String(group).padStart(String(groups - 1).length, "0");

// One word's pages: a grouped token (g, r or l) is searched once per group, with "z" and the group's
// fixed-width label after its first character (tokens.py: so one group's word is never
// a prefix of another's, and a word's tokens of all groups sit together in the index); anything
// else once.
async function pagesWith(pf, word, options, groups) {
  const at = (GROUP_AT.find(([pattern]) => pattern.test(word)) || [])[1];
  if (groups <= 1 || !at) return (await pf.search(word, options)).results;
  const parts = await Promise.all(
    Array.from({ length: groups }, async (_, g) => {
      const token = word.slice(0, at) + "z" + groupLabel(g, groups) + word.slice(at);
      const results = (await pf.search(token, options)).results;
      for (const r of results) r.gkGroup = g;
      return results;
    }),
  );
  return parts.flat();
}

// A result's data from Pagefind (title, address, metadata), with the item's readable text for
// the excerpt, which the build writes beside the item's page rather than into the index.
async function details(result) {
  const data = await result.data();
  try {
    const response = await fetch(data.url + TEXT_FILE);
    data.gkText = response.ok ? await response.text() : "";
  } catch {
    data.gkText = "";
  }
  return data;
}

// Pagefind with every shard of the index merged in (the first is Pagefind's usual folder).
export async function openIndex(root, shards = 1) {
  const pf = await import(root + "pagefind/pagefind.js");
  await pf.options({ baseUrl: root, excerptLength: 40 });
  for (let s = 1; s < shards; s++) await pf.mergeIndex(root + `pagefind-${s}/`, { baseUrl: root });
  await pf.init();
  return pf;
}

// Every query word is required. Pagefind would silently drop a word its index has never seen,
// and scoring many words at once is slow on large sites, so each word is searched on its own
// (Pagefind caches the index chunks) and the lists are intersected here: the rarest word's list
// gives the order (date order when sorting by date), scores add up for relevance.
// Sorted by date, Pagefind's score is a page's rank in its own index shard only, so ranks of
// two shards do not compare; but the build puts the items into token groups, and groups into
// shards, newest first (generator/pages/plan.py), so an earlier group holds only newer items:
// by group first, then by rank within the group.
async function allOf(pf, words, options, groups) {
  const lists = await Promise.all(words.map((w) => pagesWith(pf, w, options, groups)));
  if (lists.some((l) => l.length === 0)) return [];
  const group = (r) => r.gkGroup || 0;
  lists.sort((a, b) => a.length - b.length);
  const scores = new Map(lists[0].map((r) => [pageKey(r), r.score || 0]));
  for (const list of lists.slice(1)) {
    const here = new Map(list.map((r) => [pageKey(r), r.score || 0]));
    for (const key of [...scores.keys()]) {
      if (here.has(key)) scores.set(key, scores.get(key) + here.get(key));
      else scores.delete(key);
    }
  }
  const kept = lists[0].filter((r) => scores.has(pageKey(r)));
  if (options.sort) kept.sort((a, b) => group(a) - group(b) || b.score - a.score);
  else kept.sort((a, b) => scores.get(pageKey(b)) - scores.get(pageKey(a)));
  return kept;
}

// A result's page. Pagefind names a page by a short hash of it (und_23c3143), unique within one
// index shard only: two of the 10,000 pages of the synthetic bureau, in two shards, had the same.
// Every group is in one shard, so a grouped result is its group and its name.
const pageKey = (r) => (r.gkGroup === undefined ? "" : r.gkGroup + ":") + r.id;

// Every page with the filters. Sorted by date, a page's score is its rank in its own index
// shard, which does not compare with another shard's: each token group's pages (all in one
// shard) are listed in turn, newest group first, as in allOf.
async function filtered(pf, options, groups) {
  // (one search of every page would do unsorted, but its pages of two shards may share a name)
  if (groups <= 1) return (await pf.search(null, options)).results;
  const parts = await Promise.all(
    Array.from({ length: groups }, async (_, g) => {
      const token = GROUP_TOKEN + groupLabel(g, groups);
      const results = (await pf.search(token, options)).results.sort((a, b) => b.score - a.score);
      for (const r of results) r.gkGroup = g;
      return results;
    }),
  );
  return parts.flat();
}

// Every result for a query: exact 索引号/文号 matches first, then the full-text matches.
export async function find(pf, q, { filters = {}, sort = "", groups = 1 } = {}) {
  const exact = new Set();
  const merged = [];
  const token = q ? lookupToken(q) : null;
  if (token) {
    for (const r of (await pf.search(token, { filters })).results) {
      if (!exact.has(r.id)) { exact.add(r.id); r.gkExact = true; merged.push(r); }
    }
  }
  const words = q ? queryTokens(q) : "";
  const options = { filters, sort: sort === "date" ? { date: "desc" } : undefined };
  let found = [];
  if (words) found = await allOf(pf, words.split(" "), options, groups);
  else if (Object.keys(filters).length) found = await filtered(pf, options, groups);
  // each page once: one found by its 索引号 or 文号 is not listed again among the full-text ones
  const seen = new Set();
  for (const r of found) {
    if (!exact.has(r.id) && !seen.has(pageKey(r))) { seen.add(pageKey(r)); merged.push(r); }
  }
  return merged;
}

// Edit distance (a character wrong, missing or extra is 1), or limit + 1 once it exceeds limit.
export function editDistance(a, b, limit) {
  const x = Array.from(a), y = Array.from(b);
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    if (Math.min(...next) > limit) return limit + 1;
    row = next;
  }
  return row[y.length];
}

// Title words close to a query, best first: those one edit away (two for longer queries), by
// how many titles hold them; else those sharing most of their characters with the query.
export function closestWords(query, words, nearOnly = false) {
  const q = searchText(query).replace(/\s+/g, "");
  if (!q) return [];
  const limit = Array.from(q).length >= 5 ? 2 : 1;
  const chars = new Set(Array.from(q));
  const near = [], sharing = [];
  for (const [word, count] of Object.entries(words)) {
    const w = searchText(word);
    if (w === q) continue;
    const distance = editDistance(q, w, limit);
    if (distance <= limit) { near.push([distance, -count, word]); continue; }
    const letters = Array.from(w);
    const shared = letters.filter((c) => chars.has(c)).length;
    if (!nearOnly && shared >= 2 && shared * 2 >= letters.length) sharing.push([-shared, -count, word]);
  }
  const order = (a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1);
  return [...near.sort(order), ...sharing.sort(order)].map((entry) => entry[2]);
}

class SearchPage {
  constructor(form) {
    this.form = form;
    this.root = new URL(form.dataset.gkRoot + "/", location.href).pathname.replace(/\/+$/, "/");
    this.status = document.getElementById("gk-status");
    this.list = document.getElementById("gk-results");
    this.more = document.getElementById("gk-more");
    this.suggest = document.getElementById("gk-suggest");
    this.results = [];
    this.shown = 0;
    this.query = "";
    this.generation = 0; // bumped by every search: an older one, still awaiting, then stops
    this.loading = -1; // the generation whose next page of results is being fetched
    this.groups = Number(form.dataset.gkGroups || 1);
    this.shards = Number(form.dataset.gkShards ?? 1); // 0: nothing published yet, no index
  }

  async pagefind() {
    if (!this.pf) this.pf = await openIndex(this.root, this.shards);
    return this.pf;
  }

  // The options and their counts are in the page (built with the site): asking Pagefind for them
  // would load every filter, and Pagefind recounts loaded filters on every search.
  selectFilters(selected) {
    for (const name of FILTERS) {
      const select = this.form.querySelector(`[data-gk-filter="${name}"]`);
      if (select) select.value = selected[name] || "";
    }
  }

  state() {
    const data = new FormData(this.form);
    const filters = {};
    for (const name of FILTERS) if (data.get(name)) filters[name] = data.get(name);
    return { q: (data.get("q") || "").trim(), filters, sort: data.get("sort") || "" };
  }

  // Whether the search finished as the newest one (a newer search makes an older one stop
  // after its next await, before it touches the list).
  async run({ q, filters, sort }) {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.query = q;
    this.results = [];
    this.shown = 0;
    this.list.replaceChildren();
    this.more.hidden = true;
    this.suggest.hidden = true;
    this.suggest.replaceChildren();
    const hasFilter = Object.keys(filters).length > 0;
    if (!q && !hasFilter) {
      this.status.textContent = "请输入检索词，或选择筛选条件。";
      return true;
    }
    if (this.shards === 0) {
      this.status.textContent = "本站还没有发布可供检索的信息。";
      return true;
    }
    this.status.textContent = "正在检索……";
    const pf = await this.pagefind();
    if (!current()) return false;
    const found = await find(pf, q, { filters, sort, groups: this.groups });
    if (!current()) return false;
    let merged = sort === "date" ? found : await this.phraseFirst(found, q);
    if (!current()) return false;
    if (sort !== "date" && q) merged = await this.inForceFirst(pf, merged);
    if (!current()) return false;
    this.results = merged;
    this.shown = 0;
    if (!merged.length) {
      this.status.innerHTML = `没有找到与“<strong>${escapeHtml(q)}</strong>”相关的信息。` +
        "建议检查是否有错别字，减少或更换检索词，或取消筛选条件。";
      return q ? this.suggestFor(pf, { q, filters, sort }, current) : true;
    }
    this.status.textContent = q ? `共找到 ${merged.length} 条与“${q}”相关的信息。` : `共 ${merged.length} 条信息。`;
    const shown = await this.appendPage(generation);
    if (!shown || !q || merged.length > FEW || lookupToken(q)) return shown; // a 索引号 finds one
    return this.suggestFor(pf, { q, filters, sort }, current, merged.length);
  }

  // Repealed and expired results (and interpretations of them) after the others, each part in
  // the order it had; exact 索引号/文号 matches stay first. The pages ranked lower are one
  // token's, asked for once (a filter's pages would load the whole index).
  async inForceFirst(pf, results) {
    if (!this.lower) {
      this.lower = pf.search(LOWER_TOKEN)
        .then((found) => new Set(found.results.map((r) => r.id)))
        .catch(() => new Set());
    }
    const lower = await this.lower;
    const last = (r) => !r.gkExact && lower.has(r.id);
    return [...results.filter((r) => !last(r)), ...results.filter(last)];
  }

  // 您是不是要找: title words close to a query that found nothing (or `few` results: then only
  // words one typo away), each checked to find more with the same filters. The words are loaded
  // only now. Whether the search is still current.
  async suggestFor(pf, { q, filters, sort }, current, few = 0) {
    if (!this.words) {
      this.words = fetch(this.root + WORDS_FILE).then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
    }
    const words = closestWords(q, await this.words, few > 0).slice(0, CANDIDATES);
    // checked a few at a time, closest first, until enough find more: each is a search
    const found = [];
    for (let i = 0; i < words.length && found.length < SUGGESTIONS; i += SUGGESTIONS) {
      const batch = words.slice(i, i + SUGGESTIONS);
      const counts = await Promise.all(batch.map(async (w) => (await find(pf, w, { filters, groups: this.groups })).length));
      if (!current()) return false;
      batch.forEach((word, k) => { if (counts[k] > few) found.push([word, counts[k]]); });
    }
    if (!found.length) return true;
    const links = found.slice(0, SUGGESTIONS).map(([word, count]) => {
      const a = document.createElement("a");
      a.href = "?" + queryString({ q: word, filters, sort });
      a.dataset.gkSuggest = word;
      a.textContent = word;
      return [a, document.createTextNode(`（${count} 条）`)];
    });
    this.suggest.append("您是不是要找：", ...links.flatMap((pair, i) => (i ? ["、", ...pair] : pair)));
    this.suggest.hidden = false;
    return true;
  }

  // Among the best-scored results, those holding the query as typed come first.
  async phraseFirst(results, q) {
    const whole = q.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
    const lookups = results.filter((r) => r.gkExact);
    const rest = results.filter((r) => !r.gkExact);
    if (!whole) return results;
    const head = rest.slice(0, RERANK);
    const datas = await Promise.all(head.map(details));
    const exact = [], other = [];
    head.forEach((r, i) => {
      r.gkData = datas[i];
      const text = searchText(datas[i].meta.title + datas[i].gkText).replace(/\s+/g, "");
      (text.includes(whole) ? exact : other).push(r);
    });
    return [...lookups, ...exact, ...other, ...rest.slice(RERANK)];
  }

  // 加载更多结果: a click while a page loads does nothing (a double click adds one page).
  async showMore() {
    const generation = this.generation;
    if (this.loading === generation || this.shown >= this.results.length) return false;
    this.loading = generation;
    try {
      return await this.appendPage(generation);
    } finally {
      if (this.loading === generation) this.loading = -1;
    }
  }

  // The next page of results, unless a newer search has started. Whether it was shown.
  async appendPage(generation) {
    const next = this.results.slice(this.shown, this.shown + PAGE);
    const datas = await Promise.all(next.map((r) => r.gkData || details(r)));
    if (generation !== this.generation) return false;
    for (const data of datas) this.list.append(this.render(data));
    this.shown += next.length;
    this.more.hidden = this.shown >= this.results.length;
    return true;
  }

  render(data) {
    const li = document.createElement("li");
    li.className = "gk-result";
    const meta = data.meta || {};
    const facts = [["索引号", meta.index_no], ["文号", meta.doc_no], ["发布日期", meta.date]]
      .filter(([, v]) => v).map(([k, v]) => `<span>${k}：${escapeHtml(v)}</span>`).join("") +
      [["有效性", meta.validity], ["", meta.validity_note]].filter(([, v]) => v).map(([k, v]) => {
        const lower = NO_LONGER_IN_FORCE.test(v) ? " gk-result__validity--not-in-force" : "";
        return `<span class="gk-result__validity${lower}">${k ? k + "：" : ""}${escapeHtml(v)}</span>`;
      }).join("");
    li.innerHTML =
      `<a class="gk-result__title" href="${escapeHtml(data.url)}">${highlight(meta.title || data.url, terms(this.query))}</a>` +
      `<p class="gk-result__meta">${facts}</p>` +
      `<p class="gk-result__excerpt">${excerpt(data.gkText, this.query)}</p>`;
    return li;
  }
}

// The address of a search: ?q=…&filters…&sort=….
function queryString({ q, filters, sort }) {
  const url = new URLSearchParams();
  if (q) url.set("q", q);
  for (const [k, v] of Object.entries(filters)) url.set(k, v);
  if (sort) url.set("sort", sort);
  return url.toString();
}

// The form as the address says (on load, and on Back and Forward).
function fillForm(form, page) {
  const params = new URLSearchParams(location.search);
  form.elements.q.value = params.get("q") || "";
  form.elements.sort.value = params.get("sort") || "";
  page.selectFilters(Object.fromEntries(FILTERS.map((n) => [n, params.get(n) || ""])));
}

async function main() {
  const form = document.getElementById("gk-search");
  if (!form) return;
  const page = new SearchPage(form);
  fillForm(form, page);
  // Each submitted search is a history entry (Back returns to the previous one); the first,
  // from the address, and Back and Forward themselves add none.
  const go = async (entry) => {
    const state = page.state();
    const address = "?" + queryString(state);
    if (entry === "push" && address !== location.search) history.pushState(null, "", address);
    else if (entry === "replace") history.replaceState(null, "", address);
    // Each finished search bumps this counter, so tests (and assistive tools) can wait for it;
    // one overtaken by a newer search does not.
    if (!(await page.run(state))) return;
    document.documentElement.dataset.gkSearchRuns = String(Number(document.documentElement.dataset.gkSearchRuns || 0) + 1);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); go("push"); });
  form.querySelectorAll("select").forEach((s) => s.addEventListener("change", () => go("push")));
  window.addEventListener("popstate", () => { fillForm(form, page); go("none"); });
  page.suggest.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-gk-suggest]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    form.elements.q.value = link.dataset.gkSuggest;
    go("push");
  });
  page.more.addEventListener("click", () => page.showMore());
  window.gkSearch = page;
  await go("replace");
  document.documentElement.dataset.gkSearchReady = "true";
}

main();
