package io.speechsampler.run;

import io.speechsampler.api.io.AtomicFiles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots with XChart: what a person would rather look at than a CSV. */
public final class Plots {

    private Plots() {
    }

    /**
     * The sorted SI-SNRi curve (the hard-mining paper's Fig. 2 style): mixtures sorted by
     * SI-SNRi, with the 5 and 10 dB lines that HSR5 and HSR10 count under.
     */
    public static XYChart sortedSiSnri(double[] siSnri, String title) {
        double[] sorted = siSnri.clone();
        Arrays.sort(sorted);
        double[] x = new double[sorted.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("mixture (sorted by SI-SNRi)").yAxisTitle("SI-SNRi (dB)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(true);
        XYSeries s = chart.addSeries("SI-SNRi", x, sorted);
        s.setMarker(SeriesMarkers.NONE);
        if (x.length > 1) {
            double[] ends = {0, x.length - 1};
            chart.addSeries("5 dB", ends, new double[] {5, 5}).setMarker(SeriesMarkers.NONE);
            chart.addSeries("10 dB", ends, new double[] {10, 10}).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** A line chart of y against x (e.g. loss against step). */
    public static void line(double[] x, double[] y, String title, String xTitle, String yTitle, Path png) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries(yTitle, x, y).setMarker(SeriesMarkers.NONE);
        save(chart, png);
    }

    /**
     * Several named series against x, with markers (a few points each: per round, per epoch);
     * a NaN point is left out of its series, and a series of no points out of the chart.
     *
     * @param series name to y values, one per x, in legend order
     */
    public static XYChart lines(double[] x, java.util.Map<String, double[]> series, String title, String xTitle,
                                String yTitle) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(series.size() > 1);
        series.forEach((name, y) -> {
            if (y.length != x.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + y.length + " values for " + x.length
                        + " x values");
            }
            int n = 0;
            for (double v : y) {
                n += Double.isNaN(v) ? 0 : 1;
            }
            if (n == 0) {
                return;
            }
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0, k = 0; i < y.length; i++) {
                if (!Double.isNaN(y[i])) {
                    xs[k] = x[i];
                    ys[k++] = y[i];
                }
            }
            chart.addSeries(name, xs, ys);
        });
        return chart;
    }

    /** Writes {@code chart} as a PNG file, atomically. */
    public static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
        AtomicFiles.write(png, png(chart));
    }

    /** The PNG encoding of {@code chart}, for {@link AtomicFiles#write} or a file set. */
    public static AtomicFiles.StreamBody png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        return out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
}
