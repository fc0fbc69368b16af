package io.github.camelrtsp.examples.benchmark;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Draws the benchmark's CPU per stream (percent of one core) against N, one line per tool, both axes logarithmic,
 * with the goal of the ingest issue (0.05 %) as a dashed line; Java2D only.
 */
public final class IngestPlot {

    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 170;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final double GOAL = 0.05;
    private static final Color[] COLORS = {new Color(0xD0, 0x4A, 0x02), new Color(0x1F, 0x77, 0xB4),
        new Color(0x2C, 0xA0, 0x2C), new Color(0x94, 0x67, 0xBD)};

    private IngestPlot() {
    }

    /**
     * Draws the plot from a CSV the benchmark wrote. Arguments: {@code <ingest.csv> <plot.png>}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: IngestPlot <ingest.csv> <plot.png>");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < cells.length; i++) {
                String v = cells[i];
                if (v.equals("true") || v.equals("false")) {
                    row.put(header[i], Boolean.parseBoolean(v));
                } else {
                    try {
                        row.put(header[i], Double.parseDouble(v));
                    } catch (NumberFormatException e) {
                        row.put(header[i], v);
                    }
                }
            }
            rows.add(row);
        }
        write(rows, Path.of(args[1]));
    }

    /** Writes the plot of {@code rows} (rows without a CPU figure or not ok are left out) as PNG to {@code file}. */
    public static void write(List<Map<String, Object>> rows, Path file) throws IOException {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        double minN = Double.MAX_VALUE;
        double maxN = 1;
        double minY = GOAL;
        double maxY = GOAL;
        for (Map<String, Object> r : rows) {
            if (r.get("cpu_pct_per_stream") instanceof Number cpu && cpu.doubleValue() > 0
                && Boolean.TRUE.equals(r.get("ok"))) {
                double n = ((Number) r.get("n")).doubleValue();
                series.computeIfAbsent((String) r.get("tool"), k -> new ArrayList<>())
                        .add(new double[] {n, cpu.doubleValue()});
                minN = Math.min(minN, n);
                maxN = Math.max(maxN, n);
                minY = Math.min(minY, cpu.doubleValue());
                maxY = Math.max(maxY, cpu.doubleValue());
            }
        }
        if (minN == Double.MAX_VALUE) {
            minN = 1;
        }
        double x0 = Math.floor(Math.log10(minN));
        double x1 = Math.max(x0 + 1, Math.ceil(Math.log10(maxN)));
        double y0 = Math.floor(Math.log10(minY));
        double y1 = Math.max(y0 + 1, Math.ceil(Math.log10(maxY)));

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            int pw = W - LEFT - RIGHT;
            int ph = H - TOP - BOTTOM;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (double e = x0; e <= x1; e++) {
                int x = LEFT + (int) Math.round((e - x0) / (x1 - x0) * pw);
                g.setColor(new Color(0xE0, 0xE0, 0xE0));
                g.drawLine(x, TOP, x, TOP + ph);
                g.setColor(Color.DARK_GRAY);
                String label = String.format(Locale.ROOT, "%.0f", Math.pow(10, e));
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 18);
            }
            for (double e = y0; e <= y1; e++) {
                int y = TOP + ph - (int) Math.round((e - y0) / (y1 - y0) * ph);
                g.setColor(new Color(0xE0, 0xE0, 0xE0));
                g.drawLine(LEFT, y, LEFT + pw, y);
                g.setColor(Color.DARK_GRAY);
                String label = String.format(Locale.ROOT, e < 0 ? "%." + (int) -e + "f" : "%.0f", Math.pow(10, e));
                g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, pw, ph);
            g.drawString("streams (N), log scale", LEFT + pw / 2 - 60, H - 25);
            g.drawString("CPU per stream, % of one core (user+sys), log scale", 10, TOP - 12);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString("Ingest of 720p25 H.264 at 2 Mbit/s over RTSP/TCP", LEFT, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

            int goalY = TOP + ph - (int) Math.round((Math.log10(GOAL) - y0) / (y1 - y0) * ph);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 6},
                    0));
            g.drawLine(LEFT, goalY, LEFT + pw, goalY);
            g.drawString("goal 0.05 %", LEFT + pw + 8, goalY + 4);

            int i = 0;
            for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
                Color c = COLORS[i % COLORS.length];
                g.setColor(c);
                g.setStroke(new BasicStroke(2.5f));
                int px = -1;
                int py = -1;
                for (double[] p : s.getValue()) {
                    int x = LEFT + (int) Math.round((Math.log10(p[0]) - x0) / (x1 - x0) * pw);
                    int y = TOP + ph - (int) Math.round((Math.log10(p[1]) - y0) / (y1 - y0) * ph);
                    g.fillOval(x - 4, y - 4, 8, 8);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                g.fillRect(LEFT + pw + 8, TOP + 10 + i * 22, 14, 14);
                g.setColor(Color.BLACK);
                g.drawString(s.getKey(), LEFT + pw + 28, TOP + 22 + i * 22);
                i++;
            }
        } finally {
            g.dispose();
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
