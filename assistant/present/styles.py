"""The chat's theme and stylesheet: system fonts only, so the page loads nothing from outside."""

from __future__ import annotations

SYSTEM_FONTS = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue",
                "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme():
    """Gradio's default look with system font stacks (its stock fonts would be fetched from the server)."""
    import gradio as gr

    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", font=SYSTEM_FONTS, font_mono=MONO_FONTS)


CSS = """
.gradio-container { max-width: 1320px !important; margin: 0 auto !important; }
#app-header h1 { font-size: 1.55rem; margin: 0 0 .15rem 0; }
#app-header p { margin: 0; color: var(--body-text-color-subdued); }
#app-header { gap: 0 !important; }
#status { margin-top: -.4rem; }
.status-line { font-size: .85rem; color: var(--body-text-color-subdued); padding: .2rem 0; }

/* answers */
.q { white-space: pre-wrap; }
.answer { line-height: 1.55; }
.answer p { margin: 0 0 .55rem 0; }
.answer p:last-child { margin-bottom: 0; }
.answer ul { margin: .15rem 0 .7rem 1.1rem; padding: 0; }
.answer li { margin: .25rem 0; }
.answer strong { font-weight: 650; }
.answer .note, .answer .checked { font-size: .82rem; color: var(--body-text-color-subdued); margin-top: .5rem; }
.answer.pending .dots::after { content: " …"; animation: blink 1.2s infinite; }
@keyframes blink { 50% { opacity: .2; } }
a.cite {
  display: inline-block; margin: 0 1px; padding: 0 .32em; border-radius: 6px;
  font-size: .78em; font-weight: 650; line-height: 1.45; vertical-align: .12em;
  text-decoration: none !important; color: var(--color-accent) !important;
  background: var(--color-accent-soft); border: 1px solid var(--color-accent);
}
a.cite:hover { background: var(--color-accent); color: white !important; }
.badge {
  display: inline-block; font-size: .72rem; font-weight: 700; letter-spacing: .04em;
  text-transform: uppercase; padding: .12rem .5rem; border-radius: 999px; margin-bottom: .45rem;
}
.answer.abstained { border-left: 4px solid #d97706; padding-left: .75rem; }
.abstained .badge, .sources-turn.none .badge { background: #fef3c7; color: #92400e; border: 1px solid #f59e0b; }
.answer.error { border-left: 4px solid #dc2626; padding-left: .75rem; }
.answer.error .badge { background: #fee2e2; color: #991b1b; border: 1px solid #f87171; }

/* sources panel */
.panel-title { font-weight: 700; font-size: 1rem; margin: .1rem 0 .5rem 0; }
.sources-empty { color: var(--body-text-color-subdued); font-size: .9rem; padding: .6rem 0; }
.src-question { font-size: .85rem; color: var(--body-text-color-subdued); margin-bottom: .5rem; font-style: italic; }
.src-card {
  border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .7rem .85rem;
  margin-bottom: .7rem; background: var(--background-fill-primary);
}
.src-title { font-weight: 650; line-height: 1.3; }
.src-meta { display: block; font-size: .78rem; color: var(--body-text-color-subdued); margin: .15rem 0 .35rem 0; }
.src-quote {
  display: flex; gap: .45rem; border-radius: 8px; padding: .35rem .45rem; margin: .25rem 0;
  scroll-margin-top: 1rem; transition: background .3s;
}
.src-quote p { margin: 0; font-size: .88rem; line-height: 1.5; color: var(--body-text-color); }
.src-n { font-weight: 700; font-size: .8rem; color: var(--color-accent); min-width: 1.8em; }
.src-quote mark { background: #fde68a; color: inherit; padding: 0 .1em; border-radius: 3px; }
.src-quote:target, .src-quote.flash { background: var(--color-accent-soft); outline: 2px solid var(--color-accent); }
.src-quote:target mark, .src-quote.flash mark { background: #facc15; }
.sources-turn.none p { font-size: .9rem; }
.src-label { font-size: .8rem; font-weight: 650; margin-top: .4rem; }
ul.searched { margin: .3rem 0 0 1rem; padding: 0; font-size: .88rem; }
ul.searched li { margin: .2rem 0; }
details.earlier { margin-top: .6rem; border-top: 1px dashed var(--border-color-primary); padding-top: .4rem; }
details.earlier summary { cursor: pointer; font-size: .85rem; color: var(--body-text-color-subdued); }
#upload-result ul { margin: .3rem 0 0 1rem; padding: 0; font-size: .88rem; }
#upload-result .ok { color: #15803d; }
#upload-result .bad { color: #b91c1c; }
"""

# Clicking a marker also flashes its entry (the :target rule covers the no-JS case).
HEAD = """
<script>
document.addEventListener("click", function (ev) {
  var a = ev.target.closest && ev.target.closest("a.cite");
  if (!a) return;
  var id = (a.getAttribute("href") || "").slice(1);
  var el = document.getElementById(id);
  if (!el) return;
  ev.preventDefault();
  if (history.replaceState) history.replaceState(null, "", "#" + id);
  document.querySelectorAll(".src-quote.flash").forEach(function (x) { x.classList.remove("flash"); });
  el.classList.add("flash");
  var d = el.closest("details"); if (d) d.open = true;
  el.scrollIntoView({behavior: "smooth", block: "center"});
}, true);
</script>
"""
