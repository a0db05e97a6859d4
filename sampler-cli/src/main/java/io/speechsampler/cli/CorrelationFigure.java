package io.speechsampler.cli;

import io.speechsampler.hardmining.analysis.Correlation;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The hard-mining paper's Fig. 2: test mixtures sorted by SI-SNRi (a rising curve, left axis),
 * and in a panel per speaker parameter the same curve with that parameter's value of each mixture
 * at the mixture's sorted position (dots, right axis) and their running mean over a window of
 * about a tenth of the mixtures, so that a trend is visible through the scatter. Panels are stacked
 * into one PNG.
 */
final class CorrelationFigure {

    private static final int WIDTH = 1000;
    private static final int PANEL_HEIGHT = 360;

    private CorrelationFigure() {
    }

    /** The stacked panels as one image (the caller writes it, with its other outputs). */
    static BufferedImage render(Correlation.Report report, boolean xvector, boolean energy) {
        List<Correlation.Row> rows = new ArrayList<>(report.rows());
        rows.sort(Comparator.comparingDouble(Correlation.Row::siSnri));
        double[] x = new double[rows.size()];
        double[] si = new double[rows.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            si[i] = rows.get(i).siSnri();
        }
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(panel(x, si, rows, Correlation.Row::pitchDiffHz, "|median f0 difference| (Hz)",
                report.pitchRho(), report.pitchCount()));
        if (xvector) {
            panels.add(panel(x, si, rows, Correlation.Row::xvectorDistance, "x-vector cosine distance",
                    report.xvectorRho(), report.xvectorCount()));
        }
        if (energy) {
            panels.add(panel(x, si, rows, Correlation.Row::energyRatioDb, "energy ratio (dB)",
                    report.energyRho(), report.energyCount()));
        }
        BufferedImage all = new BufferedImage(WIDTH, PANEL_HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), 0, i * PANEL_HEIGHT, null);
        }
        g.dispose();
        return all;
    }

    private static BufferedImage panel(double[] x, double[] si, List<Correlation.Row> rows,
                                       ToDoubleFunction<Correlation.Row> parameter, String name, double rho,
                                       int count) {
        String title = String.format(Locale.ROOT, "SI-SNRi (sorted) and %s: Pearson rho %s over %d mixtures", name,
                Double.isNaN(rho) ? "n/a" : String.format(Locale.ROOT, "%.3f", rho), count);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(title)
                .xAxisTitle("test mixture, sorted by SI-SNRi").yAxisTitle("SI-SNRi (dB)").build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setXAxisTickMarkSpacingHint(80);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.setYAxisGroupTitle(0, "SI-SNRi (dB)");
        chart.setYAxisGroupTitle(1, name);
        XYSeries curve = chart.addSeries("SI-SNRi", x, si);
        curve.setMarker(SeriesMarkers.NONE);
        curve.setLineColor(new Color(0x1f77b4));
        List<Double> px = new ArrayList<>();
        List<Double> pv = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double v = parameter.applyAsDouble(rows.get(i));
            if (Double.isFinite(v)) {
                px.add(x[i]);
                pv.add(v);
            }
        }
        if (!px.isEmpty()) {
            double[] xs = px.stream().mapToDouble(Double::doubleValue).toArray();
            double[] vs = pv.stream().mapToDouble(Double::doubleValue).toArray();
            XYSeries dots = chart.addSeries(name, xs, vs);
            dots.setYAxisGroup(1);
            dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dots.setMarker(SeriesMarkers.CIRCLE);
            dots.setMarkerColor(new Color(255, 127, 14, 150));
            XYSeries mean = chart.addSeries(name + ", running mean", xs, runningMean(vs, Math.max(3, vs.length / 10)));
            mean.setYAxisGroup(1);
            mean.setMarker(SeriesMarkers.NONE);
            mean.setLineColor(new Color(0xd62728));
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Centred running mean over {@code window} neighbours (fewer at the ends). */
    static double[] runningMean(double[] v, int window) {
        double[] out = new double[v.length];
        int half = window / 2;
        for (int i = 0; i < v.length; i++) {
            int from = Math.max(0, i - half);
            int to = Math.min(v.length - 1, i + half);
            double sum = 0;
            for (int k = from; k <= to; k++) {
                sum += v[k];
            }
            out[i] = sum / (to - from + 1);
        }
        return out;
    }
}
