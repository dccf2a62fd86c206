"""Bar chart of strict pass rate and fact recall per category (matplotlib, Agg; no display needed)."""

from __future__ import annotations

from pathlib import Path


def plot_scores_by_category(metrics: dict, path: str | Path) -> Path:
    """Write a PNG with, per category and overall, the strict pass rate and the fact recall."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    by_category = metrics.get("by_category") or {}
    labels = list(by_category) + ["overall"]
    blocks = [by_category[c] for c in by_category] + [metrics.get("overall") or {}]
    series = [
        ("strict pass rate", [b.get("strict_pass_rate") for b in blocks], "#2b6cb0"),
        ("fact recall", [b.get("fact_recall") for b in blocks], "#dd8452"),
    ]

    fig = Figure(figsize=(max(6.0, 1.3 * len(labels) + 1.5), 4.5), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    width = 0.38
    for i, (name, values, color) in enumerate(series):
        xs = [x + (i - 0.5) * width for x in range(len(labels))]
        heights = [v if v is not None else 0.0 for v in values]
        bars = ax.bar(xs, heights, width, label=name, color=color)
        for bar, value in zip(bars, values):
            text = "n/a" if value is None else f"{value:.2f}"
            ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=7)
    counts = [b.get("n", 0) for b in blocks]
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels([f"{label}\n(n={n})" for label, n in zip(labels, counts)], fontsize=8)
    ax.set_ylim(0, 1.25)
    ax.set_ylabel("score")
    generator = (metrics.get("config") or {}).get("generator")
    ax.set_title("Scores by category" + (f" — generator: {generator}" if generator else ""))
    ax.legend(loc="upper center", ncol=2, fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path)
    return path
