package io.aiaas.console.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bar chart drawn on the server as inline SVG (no script, nothing to download): one bar per point, the largest
 * value's label on the top line, and every few bars a label under the axis. Rendered by the {@code barChart} tag
 * ({@code {#barChart chart=requests /}}), which makes it accessible: {@code role="img"} with an {@code aria-label}
 * that summarises it, a {@code <title>}, a tooltip per bar, and the same numbers as a visually hidden table for
 * screen readers. Values only size the bars; what people read are the caller's formatted {@code display} strings.
 */
public final class BarChart {

    /** The drawing's coordinate space; the SVG scales to the width of its container. */
    static final int WIDTH = 720;
    static final int HEIGHT = 200;
    private static final int PAD_TOP = 18;
    private static final int PAD_BOTTOM = 22;
    private static final int PAD_SIDE = 4;
    /** At most about this many labels under the axis, so that they never overlap. */
    private static final int MAX_LABELS = 16;

    /**
     * One bar's data.
     *
     * @param label what the bar is, in full (e.g. 2026-11-29)
     * @param shortLabel what fits under the bar (e.g. 29)
     * @param value the number that sizes the bar (0 or more)
     * @param display the value as people read it (formatted by the caller)
     */
    public record Point(String label, String shortLabel, double value, String display) {
    }

    /** A drawn bar: its point and its rectangle; {@code labelled} when its short label is written under the axis. */
    public record Bar(Point point, String x, String y, String width, String height, String labelX,
            boolean labelled) {

        public String label() {
            return point.label();
        }

        public String shortLabel() {
            return point.shortLabel();
        }

        public String display() {
            return point.display();
        }
    }

    private final String id;
    private final String title;
    private final String summary;
    private final String labelHeading;
    private final String valueHeading;
    private final String maxDisplay;
    private final List<Bar> bars;
    private final boolean empty;

    private BarChart(String id, String title, String summary, String labelHeading, String valueHeading,
            String maxDisplay, List<Bar> bars, boolean empty) {
        this.id = id;
        this.title = title;
        this.summary = summary;
        this.labelHeading = labelHeading;
        this.valueHeading = valueHeading;
        this.maxDisplay = maxDisplay;
        this.bars = bars;
        this.empty = empty;
    }

    /**
     * Lays the points out.
     *
     * @param id the SVG element's id
     * @param title the chart's title (the SVG's {@code <title>} and the hidden table's caption)
     * @param summary one sentence for the {@code aria-label}, e.g. the total and the busiest day
     * @param labelHeading the hidden table's first column heading (e.g. Day)
     * @param valueHeading its second column heading (e.g. Requests)
     * @param points the bars, in order
     * @param maxDisplay the largest value as people read it, written at the top line
     */
    public static BarChart of(String id, String title, String summary, String labelHeading, String valueHeading,
            List<Point> points, String maxDisplay) {
        double max = 0;
        for (Point p : points) {
            max = Math.max(max, Math.max(0, p.value()));
        }
        int n = Math.max(1, points.size());
        double plotWidth = WIDTH - 2.0 * PAD_SIDE;
        double plotHeight = HEIGHT - PAD_TOP - PAD_BOTTOM;
        double slot = plotWidth / n;
        double barWidth = Math.max(1, slot * 0.72);
        int labelEvery = (int) Math.ceil(points.size() / (double) MAX_LABELS);
        List<Bar> bars = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double value = Math.max(0, p.value());
            double height = max <= 0 ? 0 : value / max * plotHeight;
            if (value > 0 && height < 1) {
                height = 1; // a small but non-zero day stays visible
            }
            double x = PAD_SIDE + i * slot + (slot - barWidth) / 2;
            double y = PAD_TOP + plotHeight - height;
            bars.add(new Bar(p, coord(x), coord(y), coord(barWidth), coord(height), coord(x + barWidth / 2),
                    labelEvery <= 1 || i % labelEvery == 0));
        }
        return new BarChart(id, title, summary, labelHeading, valueHeading, maxDisplay, List.copyOf(bars), max <= 0);
    }

    private static String coord(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String summary() {
        return summary;
    }

    public String labelHeading() {
        return labelHeading;
    }

    public String valueHeading() {
        return valueHeading;
    }

    public String maxDisplay() {
        return maxDisplay;
    }

    public List<Bar> bars() {
        return bars;
    }

    /** Whether every value is zero (or there are none): the chart then says "No data". */
    public boolean empty() {
        return empty;
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    /** The y of the top line (the largest value) and of the axis. */
    public int top() {
        return PAD_TOP;
    }

    public int axis() {
        return HEIGHT - PAD_BOTTOM;
    }

    public int centerX() {
        return WIDTH / 2;
    }

    public int middleY() {
        return (PAD_TOP + HEIGHT - PAD_BOTTOM) / 2;
    }

    public int maxLabelY() {
        return PAD_TOP - 5;
    }

    public int labelY() {
        return HEIGHT - 6;
    }

    public int right() {
        return WIDTH - PAD_SIDE;
    }
}
