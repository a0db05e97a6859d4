package io.speechsampler.djl.ndarray;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Finds calls that hand a Java number to an NDArray op. javac parses and attributes the sources
 * against the test class path; every method call that resolves to a method of DJL's
 * {@code NDArray}, {@code NDArrays}, {@code NDArrayAdapter} or {@code NDArrayEx} with a
 * {@code java.lang.Number} parameter is reported, except {@code set} and {@code setScalar}
 * (in-place fills, which no graph keeps). It resolves names and types rather than matching text,
 * so {@code List.add(1.0)} or {@code StringBuilder.append(2)} are never reported, and an argument
 * of any form ({@code 10f}, {@code count}, {@code (float) -n}, {@code a * b}) is.
 */
final class NumberArgumentScan {

    private static final Set<String> NDARRAY_TYPES = Set.of("ai.djl.ndarray.NDArray", "ai.djl.ndarray.NDArrays",
            "ai.djl.ndarray.NDArrayAdapter", "ai.djl.ndarray.internal.NDArrayEx");
    private static final Set<String> FILLS = Set.of("set", "setScalar");

    /** One call: its file (the source's URI path), line, and method with arguments. */
    record Finding(String file, long line, String call) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + call;
        }
    }

    /**
     * @param findings     the calls found
     * @param ndArrayCalls calls of NDArray-type methods seen at all (a scan that resolved nothing
     *                     would find nothing)
     * @param errors       compile errors, which may hide calls
     */
    record Result(List<Finding> findings, int ndArrayCalls, List<String> errors) {
    }

    private NumberArgumentScan() {
    }

    static Result scanFiles(List<Path> files) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            return scan(javac, fm, fm.getJavaFileObjectsFromPaths(files));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scans one compilation unit given as text, named {@code name} (e.g. {@code Snippet.java}). */
    static Result scanSource(String name, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            return scan(javac, fm, List.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result scan(JavaCompiler javac, StandardJavaFileManager fm,
                               Iterable<? extends JavaFileObject> units) throws IOException {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-proc:none", "-classpath", System.getProperty("java.class.path"));
        JavacTask task = (JavacTask) javac.getTask(Writer.nullWriter(), fm, diagnostics, options, null, units);
        Iterable<? extends CompilationUnitTree> trees = task.parse();
        task.analyze();
        Trees t = Trees.instance(task);
        List<Finding> findings = new ArrayList<>();
        int[] calls = {0};
        for (CompilationUnitTree cu : trees) {
            String file = cu.getSourceFile().toUri().getPath();
            SortedMap<Long, Finding> inFile = new TreeMap<>();
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                    Element e = t.getElement(getCurrentPath());
                    if (e instanceof ExecutableElement m && isNdArrayType(m.getEnclosingElement())) {
                        calls[0]++;
                        if (!FILLS.contains(m.getSimpleName().toString()) && takesNumber(m)) {
                            // the method name's position: in a chain, the chain's first line is elsewhere
                            long at = t.getSourcePositions().getEndPosition(cu, node.getMethodSelect());
                            String args = node.getArguments().stream().map(Object::toString)
                                    .collect(Collectors.joining(", "));
                            inFile.put(at, new Finding(file, cu.getLineMap().getLineNumber(at),
                                    m.getSimpleName() + "(" + args + ")"));
                        }
                    }
                    return super.visitMethodInvocation(node, unused);
                }
            }.scan(cu, null);
            findings.addAll(inFile.values());
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add((d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                        + d.getMessage(null));
            }
        }
        return new Result(findings, calls[0], errors);
    }

    private static boolean isNdArrayType(Element owner) {
        return owner instanceof TypeElement type && NDARRAY_TYPES.contains(type.getQualifiedName().toString());
    }

    private static boolean takesNumber(ExecutableElement m) {
        for (VariableElement p : m.getParameters()) {
            if (p.asType().getKind() == TypeKind.DECLARED && p.asType().toString().equals("java.lang.Number")) {
                return true;
            }
        }
        return false;
    }
}
