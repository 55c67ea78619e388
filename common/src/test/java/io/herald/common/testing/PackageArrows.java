package io.herald.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The arrows between a module's packages, read from the imports of its sources (no bytecode, no
 * ArchUnit): package {@code a} points at {@code b} when a file of {@code a} imports from {@code b}.
 */
public final class PackageArrows {
    private final Map<String, Set<String>> arrows = new TreeMap<>();

    private PackageArrows() {}

    /** The arrows among the packages directly below {@code basePackage}, read from {@code sourceRoot}. */
    public static PackageArrows of(Path sourceRoot, String basePackage) {
        Path base = sourceRoot.resolve(basePackage.replace('.', '/'));
        Pattern imported = Pattern.compile("^import (?:static )?" + Pattern.quote(basePackage) + "\\.([a-z]+)\\.", Pattern.MULTILINE);
        PackageArrows result = new PackageArrows();
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = base.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the module's root package wires everything; it may point anywhere
                }
                String from = relative.getName(0).toString();
                Matcher m = imported.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        result.arrows.computeIfAbsent(from, k -> new TreeSet<>()).add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** Whether some file of {@code from} imports from {@code to}. */
    public boolean points(String from, String to) {
        return arrows.getOrDefault(from, Set.of()).contains(to);
    }

    /** Every pair of packages that point at each other, directly or through others, as {@code "a -> b -> a"}. */
    public List<String> cycles() {
        List<String> cycles = new ArrayList<>();
        for (String start : arrows.keySet()) {
            for (String next : arrows.get(start)) {
                List<String> path = pathTo(next, start, new TreeSet<>());
                if (path != null && start.compareTo(next) < 0) {
                    cycles.add(start + " -> " + String.join(" -> ", path));
                }
            }
        }
        return cycles;
    }

    private List<String> pathTo(String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return new ArrayList<>(List.of(to));
        }
        if (!seen.add(from)) {
            return null;
        }
        for (String next : arrows.getOrDefault(from, Set.of())) {
            List<String> rest = pathTo(next, to, seen);
            if (rest != null) {
                rest.add(0, from);
                return rest;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return arrows.toString();
    }
}
