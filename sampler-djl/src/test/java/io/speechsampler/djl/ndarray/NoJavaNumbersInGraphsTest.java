package io.speechsampler.djl.ndarray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the scalar use-after-free (package documentation) from coming back: no main code of
 * sampler-djl, sampler-cli, sampler-hardmining or the benchmarks passes a Java number to an
 * NDArray op. The rule, applied by javac's own name and type resolution ({@link NumberArgumentScan}): a call that
 * resolves to a method of DJL's {@code NDArray}, {@code NDArrays}, {@code NDArrayAdapter} or {@code NDArrayEx} with a
 * parameter of type {@code java.lang.Number} is reported as file:line, whatever the argument's
 * form, except the in-place fills {@code set} and {@code setScalar}. Use {@link Scalars} instead.
 * There is no allowlist: an op after backward on a gradient goes through {@link Scalars} too.
 */
class NoJavaNumbersInGraphsTest {

    @Test
    void mainCodePassesNoJavaNumberToAnNdArrayOp() throws IOException {
        Path root = projectRoot();
        List<Path> djl = sources(root.resolve("sampler-djl/src/main/java"));
        List<Path> cli = sources(root.resolve("sampler-cli/src/main/java"));
        // x-vector mining multiplies on the engine (no autograd there, but the same rule)
        List<Path> mining = sources(root.resolve("sampler-hardmining/src/main/java"));
        // the benchmarks' bare-DJL reference loop trains too (JMH is not on this class path either)
        List<Path> bench = sources(root.resolve("benchmarks/src/main/java"));
        NumberArgumentScan.Result r = NumberArgumentScan.scanFiles(
                Stream.of(djl, cli, mining, bench).flatMap(List::stream).toList());
        // sampler-cli's own libraries (picocli, ...) are not on this module's class path, so its
        // files may not attribute fully; sampler-djl's must, or calls could go unseen
        List<String> djlErrors = r.errors().stream().filter(e -> e.contains("/sampler-djl/")).toList();
        assertEquals(List.of(), djlErrors, "sampler-djl's sources did not compile in the scan");
        assertTrue(r.ndArrayCalls() > 100, "the scan resolved only " + r.ndArrayCalls() + " NDArray calls");
        assertEquals("", r.findings().stream()
                        .map(f -> root.relativize(Path.of(f.file())) + ":" + f.line() + ": " + f.call() + "\n")
                        .collect(Collectors.joining()),
                "NDArray ops given a Java number (use io.speechsampler.djl.ndarray.Scalars)");
    }

    @Test
    void flagsEveryFormOfJavaNumberArgument() {
        String snippet = """
                import ai.djl.ndarray.NDArray;
                import ai.djl.ndarray.NDArrays;
                class Snippet {
                    private static final float EPS = 1e-8f;
                    NDArray f(NDArray x, int sources, double total) {
                        float count = 3;
                        NDArray a = x.mul(10f);
                        NDArray b = x.div(count).add(EPS);
                        NDArray c = x.div((float) -sources).sub(total * 2);
                        NDArray d = NDArrays.maximum(x, 0f).clip(1e-7f, 1f);
                        return x.getNDArrayInternal().rsub(1).pow(2).gt(Math.PI);
                    }
                }
                """;
        NumberArgumentScan.Result r = NumberArgumentScan.scanSource("Snippet.java", snippet);
        assertEquals(List.of(), r.errors());
        assertEquals(List.of("/Snippet.java:7: mul(10.0F)", "/Snippet.java:8: div(count)", "/Snippet.java:8: add(EPS)",
                "/Snippet.java:9: div((float)-sources)", "/Snippet.java:9: sub(total * 2)",
                "/Snippet.java:10: maximum(x, 0.0F)", "/Snippet.java:10: clip(1.0E-7F, 1.0F)",
                "/Snippet.java:11: rsub(1)", "/Snippet.java:11: pow(2)", "/Snippet.java:11: gt(Math.PI)"),
                r.findings().stream().map(Object::toString).toList());
    }

    @Test
    void findsCallsInAFileWhoseOtherLibrariesAreNotOnTheClassPath() {
        // sampler-cli's files are scanned with sampler-djl's class path, which lacks picocli
        String snippet = """
                import ai.djl.ndarray.NDArray;
                import picocli.CommandLine.Command;
                @Command(name = "x")
                class Snippet {
                    NDArray f(NDArray x) {
                        return x.mul(10f);
                    }
                }
                """;
        NumberArgumentScan.Result r = NumberArgumentScan.scanSource("Snippet.java", snippet);
        assertFalse(r.errors().isEmpty(), "picocli resolved: the test no longer shows anything");
        assertEquals(List.of("/Snippet.java:6: mul(10.0F)"), r.findings().stream().map(Object::toString).toList());
    }

    @Test
    void passesTheHelperFillsAndNumbersOfOtherTypes() {
        String snippet = """
                import ai.djl.ndarray.NDArray;
                import ai.djl.ndarray.index.NDIndex;
                import ai.djl.ndarray.types.Shape;
                import io.speechsampler.djl.ndarray.Scalars;
                import java.util.ArrayList;
                import java.util.List;
                class Snippet {
                    NDArray f(NDArray x, NDArray g) {
                        List<Double> losses = new ArrayList<>();
                        losses.add((double) 1.5f);
                        StringBuilder sb = new StringBuilder().append(2).append(0.5f);
                        double sq = 0;
                        sq += x.getFloat() * 2;
                        g.set(new NDIndex("..."), 0f);
                        NDArray y = x.get(1).reshape(2, 3).mul(x.getManager().full(new Shape(), 2f));
                        return Scalars.add(Scalars.mul(y, 10f), 1e-8f).mul(Scalars.of(y, 2f));
                    }
                }
                """;
        NumberArgumentScan.Result r = NumberArgumentScan.scanSource("Snippet.java", snippet);
        assertEquals(List.of(), r.errors());
        assertEquals(List.of(), r.findings());
        assertTrue(r.ndArrayCalls() >= 5, "NDArray calls seen: " + r.ndArrayCalls());
    }

    /** The directory holding sampler-djl and sampler-cli, above Maven's working directory (the module). */
    static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("sampler-djl/src/main/java"))
                    && Files.isDirectory(p.resolve("sampler-cli/src/main/java"))) {
                return p;
            }
        }
        throw new IllegalStateException("no directory with sampler-djl/ and sampler-cli/ above "
                + Path.of("").toAbsolutePath());
    }

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
