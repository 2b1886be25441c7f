/** The console page's styles (system fonts, WCAG AA contrast, visible focus, narrow screens). Served as `<path>/console.css`. */
export const CONSOLE_STYLES = String.raw`:root { color-scheme: light; --fg: #1b1b1f; --muted: #4a4a52; --line: #c9c9d1; --bg: #ffffff; --panel: #f4f4f7; --accent: #0b57d0; --danger: #a8201a; --ok: #1e6b34; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem; }
.skip:focus { left: .5rem; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .75rem 1rem; background: var(--panel); border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.15rem; margin: 0; }
header .who { color: var(--muted); font-size: .9rem; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; }
nav a { display: inline-block; padding: .4rem .75rem; border-radius: 6px; text-decoration: none; font-weight: 600; }
nav a[aria-current="page"] { background: var(--accent); color: #fff; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
h2 { font-size: 1.3rem; margin: .25rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; margin-bottom: 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: .9rem; font-weight: 600; gap: .2rem; }
input, select, button { font: inherit; }
input, select { padding: .4rem .5rem; border: 1px solid #767680; border-radius: 6px; background: #fff; color: var(--fg); min-height: 2.5rem; }
input[type="search"] { min-width: 16rem; }
button { padding: .45rem .9rem; min-height: 2.5rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; font-weight: 600; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--danger); border-color: var(--danger); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
caption { text-align: left; padding: .5rem .75rem; font-weight: 600; color: var(--muted); }
th, td { text-align: left; padding: .45rem .75rem; border-top: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--panel); }
td.value { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; word-break: break-all; }
tr.row-failed td { background: #fff4f3; }
.badges { display: inline-flex; flex-wrap: wrap; gap: .25rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; border: 1px solid var(--muted); font-size: .8rem; color: var(--fg); margin-left: .25rem; }
.badge.ok { border-color: var(--ok); color: var(--ok); }
.badge.off { border-color: var(--danger); color: var(--danger); }
.badge.strong { background: var(--fg); color: #fff; }
.empty, .muted { color: var(--muted); }
#alert { border: 2px solid var(--danger); color: var(--danger); padding: .5rem .75rem; border-radius: 6px; margin-bottom: 1rem; }
#status { min-height: 1.5rem; color: var(--muted); }
.link-out { margin-top: .75rem; display: flex; flex-direction: column; gap: .25rem; max-width: 40rem; }
.link-out input { width: 100%; }
details pre { white-space: pre-wrap; word-break: break-word; max-width: 40rem; font-size: .85rem; }
figure { margin: 0 0 1rem; }
.chart { width: 100%; max-width: 44rem; height: auto; }
.chart-label { font-size: 12px; fill: var(--fg); }
.bar-ok { fill: var(--ok); }
.bar-failed { fill: var(--danger); }
.key { display: inline-block; width: .8rem; height: .8rem; vertical-align: middle; }
.key-ok { background: var(--ok); }
.key-failed { background: var(--danger); }
[hidden] { display: none !important; }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  input[type="search"] { min-width: 0; width: 100%; }
  form.filters label { flex: 1 1 45%; }
  th, td { padding: .4rem .5rem; }
}
`;
