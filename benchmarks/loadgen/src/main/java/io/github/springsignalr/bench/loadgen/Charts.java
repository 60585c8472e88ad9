package io.github.springsignalr.bench.loadgen;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/** Grouped bar charts drawn with Java2D (headless), written as PNG. */
final class Charts {

	private static final Color[] PALETTE = { new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
			new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2),
			new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf) };

	private Charts() {
	}

	/**
	 * Draws one group of bars per category, one bar per series ({@code values[series][category]}, NaN for
	 * none), with a dashed reference line at {@code reference} unless it is NaN.
	 */
	static void bars(Path file, String title, String yLabel, List<String> categories, List<String> series,
			double[][] values, double reference) throws IOException {
		System.setProperty("java.awt.headless", "true");
		int width = Math.max(900, 120 + categories.size() * (series.size() * 14 + 40));
		int height = 520;
		int left = 80;
		int right = 220;
		int top = 50;
		int bottom = 110;
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		double max = Double.isNaN(reference) ? 0 : reference;
		for (double[] row : values) {
			for (double value : row) {
				if (!Double.isNaN(value) && !Double.isInfinite(value)) {
					max = Math.max(max, value);
				}
			}
		}
		max = max <= 0 ? 1 : niceCeiling(max * 1.05);
		int plotWidth = width - left - right;
		int plotHeight = height - top - bottom;
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
		g.drawString(title, left, 30);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		for (int i = 0; i <= 5; i++) {
			double value = max * i / 5;
			int y = top + plotHeight - (int) (plotHeight * i / 5.0);
			g.setColor(new Color(0xdddddd));
			g.drawLine(left, y, left + plotWidth, y);
			g.setColor(Color.BLACK);
			String label = format(value);
			g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
		}
		g.drawLine(left, top, left, top + plotHeight);
		g.drawLine(left, top + plotHeight, left + plotWidth, top + plotHeight);
		Graphics2D rotated = (Graphics2D) g.create();
		rotated.rotate(-Math.PI / 2);
		rotated.drawString(yLabel, -(top + plotHeight / 2 + g.getFontMetrics().stringWidth(yLabel) / 2), 18);
		rotated.dispose();
		double groupWidth = plotWidth / (double) Math.max(1, categories.size());
		double barWidth = Math.max(3, (groupWidth - 16) / Math.max(1, series.size()));
		for (int c = 0; c < categories.size(); c++) {
			double groupLeft = left + c * groupWidth + 8;
			for (int s = 0; s < series.size(); s++) {
				double value = values[s][c];
				if (Double.isNaN(value) || Double.isInfinite(value)) {
					continue;
				}
				int barHeight = (int) Math.round(plotHeight * Math.min(value, max) / max);
				g.setColor(PALETTE[s % PALETTE.length]);
				g.fillRect((int) (groupLeft + s * barWidth), top + plotHeight - barHeight,
						(int) Math.max(1, barWidth - 1), barHeight);
			}
			g.setColor(Color.BLACK);
			Graphics2D label = (Graphics2D) g.create();
			label.translate(groupLeft + groupWidth / 2 - 4, top + plotHeight + 8);
			label.rotate(Math.PI / 6);
			label.drawString(categories.get(c), 0, 0);
			label.dispose();
		}
		if (!Double.isNaN(reference)) {
			int y = top + plotHeight - (int) Math.round(plotHeight * reference / max);
			g.setColor(Color.DARK_GRAY);
			g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 6, 4 },
					0));
			g.drawLine(left, y, left + plotWidth, y);
			g.setStroke(new BasicStroke());
		}
		for (int s = 0; s < series.size(); s++) {
			int y = top + 10 + s * 20;
			g.setColor(PALETTE[s % PALETTE.length]);
			g.fillRect(width - right + 20, y - 10, 14, 14);
			g.setColor(Color.BLACK);
			g.drawString(series.get(s), width - right + 40, y + 2);
		}
		g.dispose();
		ImageIO.write(image, "png", file.toFile());
	}

	private static double niceCeiling(double value) {
		double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 }) {
			if (step * magnitude >= value) {
				return step * magnitude;
			}
		}
		return 10 * magnitude;
	}

	static String format(double value) {
		if (value >= 1_000_000) {
			return String.format(Locale.ROOT, "%.1fM", value / 1_000_000);
		}
		if (value >= 10_000) {
			return String.format(Locale.ROOT, "%.0fk", value / 1000);
		}
		if (value >= 100) {
			return String.format(Locale.ROOT, "%.0f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}
}
