package io.aquatrade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the deployment tests share: the repository's files, real binaries, loopback HTTP, polling. */
final class Deploy {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Deploy() {
    }

    /** The repository root: Maven runs tests with the project directory as working directory. */
    static Path repo() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("docker"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (pom.xml + docker/) at or above " + dir);
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode readJsonText(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text);
        }
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /** The pom's {@code hazelcast.opens} property: the JVM flags every launch of the bot must carry. */
    static List<String> hazelcastOpens() {
        try {
            String pom = Files.readString(repo().resolve("pom.xml"));
            Matcher m = Pattern.compile("<hazelcast\\.opens>([^<]+)</hazelcast\\.opens>").matcher(pom);
            if (!m.find()) {
                throw new IllegalStateException("pom.xml has no <hazelcast.opens> property");
            }
            return Arrays.asList(m.group(1).trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path of an executable on PATH, or a failure that says which Debian package provides it. */
    static String require(String binary, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(File.pathSeparator)) {
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(binary + " is not installed: apt-get install -y " + debianPackage
                + " (.ci/run installs it)");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A finished command: exit code and everything it printed (stdout and stderr together). */
    record Result(int exit, String output) {
        Result ok(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " exited " + exit + ":\n" + output);
            }
            return this;
        }
    }

    static Result run(Path dir, Map<String, String> env, Duration timeout, String... command) {
        return runWithInput(dir, env, timeout, null, command);
    }

    /** Runs a command to completion (killed after {@code timeout}); {@code stdin} may be null. */
    static Result runWithInput(Path dir, Map<String, String> env, Duration timeout, String stdin, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile("deploy-cmd-", ".log");
            pb.redirectOutput(out.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(out);
            Files.deleteIfExists(out);
            if (!done) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n" + text);
            }
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join(" ", command), e);
        }
    }

    /** GET on loopback: status and body; status -1 when nothing answers. */
    record Http(int status, String body) {
    }

    static Http get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build());
    }

    static Http send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Http(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Http(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Http(-1, "interrupted");
        }
    }

    /** Prometheus's instant query API: the parsed answer (status, data.result, error). */
    static JsonNode promQuery(int promPort, String expr) {
        return promApi(promPort, "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    /** {@code /api/v1/query_range} from {@code startSec} to {@code endSec} (epoch seconds), one sample a {@code stepSec}. */
    static JsonNode promQueryRange(int promPort, String expr, long startSec, long endSec, int stepSec) {
        return promApi(promPort, "/api/v1/query_range?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&start=" + startSec + "&end=" + endSec + "&step=" + stepSec);
    }

    private static JsonNode promApi(int promPort, String pathAndQuery) {
        Http r = get("http://127.0.0.1:" + promPort + pathAndQuery);
        if (r.status() == -1) {
            throw new AssertionError("Prometheus on port " + promPort + " does not answer: " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("Prometheus answered " + r.status() + " with no JSON: " + r.body());
        }
    }

    /** Polls until {@code done} holds, or fails with {@code what} and the last state seen. */
    static void await(String what, Duration timeout, Supplier<Boolean> done, Supplier<String> lastState) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (done.get()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: "
                        + lastState.get());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Leftovers in the temp directory do no harm; the test's outcome does not depend on them.
        }
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
