package io.github.camelrtsp.examples.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The ingest benchmark: starts a {@link LoadServer} in a separate JVM replaying a 720p25 H.264 stream of about
 * 2 Mbit/s, then for each N measures N camel-rtsp routes ({@link CamelIngestRun}, a fresh JVM per N) and, where
 * installed, GStreamer ({@code gst-launch-1.0}, one process with N {@code rtspsrc} branches) and ffmpeg (one process
 * per stream) on the same load. Writes {@code ingest.csv} and {@code ingest.json} into the output directory, a PNG
 * plot of CPU per stream against N, and prints a summary table with the ratios camel-rtsp / other.
 *
 * <p>Options ({@code --name value}): {@code --n 1,10,100} (stream counts), {@code --seconds 30} (measured window),
 * {@code --warmup 10}, {@code --paths 1} (server paths the streams are spread over), {@code --source FILE|sim}
 * (Annex B H.264 file; default: generated once with ffmpeg into the output directory; {@code sim} takes the small
 * clip bundled with the simulated camera), {@code --compare true|false}, {@code --compare-max-n 100} (GStreamer and
 * ffmpeg only up to this N: 1000 ffmpeg processes need about 55 GB), {@code --out target/benchmark},
 * {@code --plot FILE} (default {@code <out>/ingest-cpu.png}), {@code --jvm-opts "-Xmx1g"} (measured JVM).
 */
public final class IngestBenchmark {

    private static final String FFMPEG_SOURCE = "src-720p25-2M.h264";
    private static final double FPS = 25.0;

    private final Map<String, String> options;
    private final Path out;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private Process server;
    private volatile double nominalKbps;

    /** Creates a benchmark with options as {@code --name value} pairs. */
    public IngestBenchmark(String... args) {
        options = new LinkedHashMap<>();
        options.put("n", "1,10,100");
        options.put("seconds", "30");
        options.put("warmup", "10");
        options.put("paths", "1");
        options.put("compare", "true");
        options.put("compare-max-n", "100");
        options.put("out", "target/benchmark");
        options.put("jvm-opts", "-Xmx1g");
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got: " + args[i]);
            }
            String name = args[i].substring(2);
            if (!options.containsKey(name) && !name.equals("source") && !name.equals("plot")) {
                throw new IllegalArgumentException("unknown option --" + name + "; known: " + options.keySet()
                                                   + ", source, plot");
            }
            options.put(name, args[++i]);
        }
        out = Path.of(options.get("out"));
    }

    /** Runs the benchmark with the given options and exits non-zero if a camel-rtsp run failed. */
    public static void main(String[] args) throws Exception {
        IngestBenchmark b = new IngestBenchmark(args);
        List<Map<String, Object>> rows = b.run();
        boolean ok = rows.stream().filter(r -> "camel-rtsp".equals(r.get("tool")))
                .allMatch(r -> Boolean.TRUE.equals(r.get("ok")));
        System.exit(ok ? 0 : 1);
    }

    /** Runs every N and returns one row per tool and N (also written as CSV and JSON). */
    public List<Map<String, Object>> run() throws Exception {
        Files.createDirectories(out);
        Path source = source();
        int[] ns = parseList(options.get("n"));
        int maxN = 0;
        for (int n : ns) {
            maxN = Math.max(maxN, n);
        }
        int paths = Integer.parseInt(options.get("paths"));
        int warmup = Integer.parseInt(options.get("warmup"));
        int seconds = Integer.parseInt(options.get("seconds"));
        boolean compare = Boolean.parseBoolean(options.get("compare"));
        int compareMaxN = Integer.parseInt(options.get("compare-max-n"));
        System.out.printf(Locale.ROOT, "ingest benchmark (rows with ok=false are not valid figures): N=%s,"
                                       + " %d s warm-up + %d s measured, %d path(s), source %s,"
                                       + " load %.2f at start%n", options.get("n"), warmup, seconds, paths, source,
                ProcStats.loadAverage());

        server = java(List.of("-Dlog4j2.configurationFile=log4j2-benchmark.properties"), LoadServer.class.getName(),
                source.toString(), String.valueOf(FPS), String.valueOf(paths), String.valueOf(maxN + 16));
        try {
            String base = "rtsp://127.0.0.1:" + awaitReady(server) + "/bench";
            for (int n : ns) {
                rows.add(runCamel(base, paths, n, warmup, seconds));
                if (compare && n <= compareMaxN) {
                    if (onPath("gst-launch-1.0")) {
                        rows.add(runGstreamer(base, paths, n, warmup, seconds));
                    }
                    if (onPath("ffmpeg")) {
                        rows.add(runFfmpeg(base, paths, n, warmup, seconds));
                    }
                }
                write();
            }
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        write();
        Path plot = Path.of(options.getOrDefault("plot", out.resolve("ingest-cpu.png").toString()));
        IngestPlot.write(rows, plot);
        printSummary();
        return rows;
    }

    // ---------------------------------------------------------------- source

    private Path source() throws IOException, InterruptedException {
        String s = options.get("source");
        if ("sim".equals(s)) {
            Path p = out.resolve("sim.h264");
            try (InputStream in = io.github.camelrtsp.server.SimulatedCamera.class
                    .getResourceAsStream("sim/sim.h264")) {
                if (in == null) {
                    throw new IllegalStateException("the simulated camera clip is not on the classpath");
                }
                Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            }
            return p;
        }
        if (s != null) {
            return Path.of(s);
        }
        Path p = out.resolve(FFMPEG_SOURCE);
        if (Files.exists(p)) {
            return p;
        }
        // 20 s of 1280x720 at 25 fps, 2 Mbit/s constant bit rate, an IDR every 50 frames, single slice per frame
        List<String> cmd = List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-t", "20",
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p",
                "-b:v", "2M", "-minrate", "2M", "-maxrate", "2M", "-bufsize", "1M",
                "-x264-params", "nal-hrd=cbr:keyint=50:min-keyint=50:scenecut=0:sliced-threads=0",
                "-f", "h264", p.toString() + ".tmp");
        Process ff = new ProcessBuilder(cmd).inheritIO().start();
        if (ff.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg could not generate the source clip: " + String.join(" ", cmd));
        }
        Files.move(Path.of(p + ".tmp"), p, StandardCopyOption.REPLACE_EXISTING);
        return p;
    }

    // ---------------------------------------------------------------- runs

    private Map<String, Object> runCamel(String base, int paths, int n, int warmup, int seconds) throws Exception {
        double load0 = ProcStats.loadAverage();
        List<String> jvm = new ArrayList<>(List.of(options.get("jvm-opts").trim().split("\\s+")));
        jvm.removeIf(String::isEmpty);
        jvm.add("-Dlog4j2.configurationFile=log4j2-benchmark.properties");
        Process p = java(jvm, CamelIngestRun.class.getName(), base, String.valueOf(paths), String.valueOf(n),
                String.valueOf(warmup), String.valueOf(seconds));
        p.getOutputStream().close();
        Map<String, String> result = new LinkedHashMap<>();
        String serverPid = String.valueOf(server.pid());
        long serverCpu0 = 0;
        long serverW0 = 0;
        double serverCpuPct = Double.NaN;
        try (BufferedReader r = reader(p.getInputStream())) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals(CamelIngestRun.WINDOW_START)) {
                    serverCpu0 = ProcStats.cpuNanos(serverPid, false);
                    serverW0 = System.nanoTime();
                } else if (line.equals(CamelIngestRun.WINDOW_END) && serverW0 != 0) {
                    serverCpuPct = round((ProcStats.cpuNanos(serverPid, false) - serverCpu0) * 100.0
                                         / (System.nanoTime() - serverW0), 2);
                } else if (line.startsWith(CamelIngestRun.RESULT)) {
                    for (String kv : line.substring(CamelIngestRun.RESULT.length()).split("\t")) {
                        int eq = kv.indexOf('=');
                        if (eq > 0) {
                            result.put(kv.substring(0, eq), kv.substring(eq + 1));
                        }
                    }
                } else {
                    System.out.println("  [camel N=" + n + "] " + line);
                }
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Map<String, Object> row = row("camel-rtsp", n, load0);
        if (result.isEmpty()) {
            row.put("ok", false);
            System.out.println("camel-rtsp run with N=" + n + " failed: see " + out.resolve("camel-n" + n + ".log"));
            return row;
        }
        double window = d(result.get("window_s"));
        double cpu = d(result.get("cpu_s"));
        double kbps = d(result.get("bytes")) * 8 / window / 1000 / n;
        // a run counts only when every stream played and got (nearly) the whole bit rate: on a loaded machine the
        // load server can fall behind real time, and a cheaper ingest of less data proves nothing
        row.put("ok", Integer.parseInt(result.get("playing")) == n && Integer.parseInt(result.get("playing_end")) == n
                      && kbps >= 0.95 * nominalKbps);
        row.put("playing", Integer.parseInt(result.get("playing_end")));
        row.put("seconds", round(window, 1));
        row.put("bitrate_kbps", round(kbps, 0));
        row.put("delivered_pct", round(kbps * 100 / nominalKbps, 1));
        row.put("cpu_us_per_packet", round(cpu * 1e6 / d(result.get("packets")), 2));
        row.put("cpu_pct_per_stream", round(cpu / window * 100 / n, 4));
        row.put("cpu_pct_total", round(cpu / window * 100, 2));
        row.put("rss_mb", d(result.get("rss_mb")));
        row.put("rss_kb_per_stream", round(d(result.get("rss_mb")) * 1024 / n, 0));
        double heapEnd = d(result.get("heap_end_mb"));
        row.put("heap_mb", heapEnd);
        row.put("heap_kb_per_stream", round(Math.max(0, heapEnd - d(result.get("heap_base_mb"))) * 1024 / n, 1));
        row.put("heap_warm_kb_per_stream",
                round(Math.max(0, d(result.get("heap_warm_mb")) - d(result.get("heap_base_mb"))) * 1024 / n, 1));
        row.put("cpu_pct_sys", round(d(result.get("cpu_sys_s")) / window * 100, 2));
        row.put("cpu_pct_io", round(d(result.get("cpu_io_s")) / window * 100, 2));
        row.put("cpu_pct_delivery", round(d(result.get("cpu_delivery_s")) / window * 100, 2));
        row.put("cpu_pct_jvm", round(d(result.get("cpu_jvm_s")) / window * 100, 2));
        double frames = d(result.get("frames"));
        row.put("alloc_bytes_per_frame", frames > 0 ? round(d(result.get("alloc_bytes")) / frames, 0) : Double.NaN);
        row.put("gc_count", Long.parseLong(result.get("gc_count")));
        row.put("gc_ms", Long.parseLong(result.get("gc_ms")));
        row.put("packets_per_s", round(d(result.get("packets")) / window, 0));
        row.put("frames_per_s", round(d(result.get("frames")) / window, 0));
        row.put("packets_lost", Long.parseLong(result.get("packets_lost")));
        row.put("frames_dropped", Long.parseLong(result.get("frames_dropped")));
        row.put("playing_after_s", d(result.get("playing_after_s")));
        row.put("lat_p50_ms", d(result.get("lat_p50_ms")));
        row.put("lat_p90_ms", d(result.get("lat_p90_ms")));
        row.put("lat_p99_ms", d(result.get("lat_p99_ms")));
        row.put("lat_p999_ms", d(result.get("lat_p999_ms")));
        row.put("lat_max_ms", d(result.get("lat_max_ms")));
        row.put("server_cpu_pct", serverCpuPct);
        row.put("load_end", ProcStats.loadAverage());
        return row;
    }

    private Map<String, Object> runGstreamer(String base, int paths, int n, int warmup, int seconds)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        for (int i = 0; i < n; i++) {
            cmd.addAll(List.of("rtspsrc", "protocols=tcp", "location=" + base + (i % paths), "!", "rtph264depay",
                    "!", "fakesink"));
        }
        return measureExternal("gstreamer", List.of(cmd), n, warmup, seconds);
    }

    private Map<String, Object> runFfmpeg(String base, int paths, int n, int warmup, int seconds) throws Exception {
        List<List<String>> cmds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cmds.add(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-rtsp_transport", "tcp",
                    "-i", base + (i % paths), "-c", "copy", "-f", "null", "-"));
        }
        return measureExternal("ffmpeg", cmds, n, warmup, seconds);
    }

    /** Starts the processes, waits the warm-up, and measures their CPU (with children) and RSS over the window. */
    private Map<String, Object> measureExternal(String tool, List<List<String>> cmds, int n, int warmup,
            int seconds) throws Exception {
        double load0 = ProcStats.loadAverage();
        Path log = out.resolve(tool + "-n" + n + ".log");
        List<Process> procs = new ArrayList<>();
        Map<String, Object> row = row(tool, n, load0);
        try {
            for (List<String> cmd : cmds) {
                procs.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.PIPE).start());
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            long serverCpu0 = ProcStats.cpuNanos(String.valueOf(server.pid()), false);
            long cpu0 = cpu(procs);
            long w0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long cpu1 = cpu(procs);
            long serverCpu1 = ProcStats.cpuNanos(String.valueOf(server.pid()), false);
            double window = (System.nanoTime() - w0) / 1e9;
            row.put("server_cpu_pct", round((serverCpu1 - serverCpu0) / 1e7 / window, 2));
            long rss = 0;
            int alive = 0;
            for (Process p : procs) {
                if (p.isAlive()) {
                    alive++;
                    rss += Math.max(0, ProcStats.rssBytes(String.valueOf(p.pid())));
                }
            }
            double cpu = (cpu1 - cpu0) / 1e9;
            row.put("ok", alive == procs.size());
            row.put("seconds", round(window, 1));
            row.put("cpu_pct_per_stream", round(cpu / window * 100 / n, 4));
            row.put("cpu_pct_total", round(cpu / window * 100, 2));
            row.put("rss_mb", round(rss / 1048576.0, 1));
            row.put("rss_kb_per_stream", round(rss / 1024.0 / n, 0));
            row.put("processes_alive", alive);
            row.put("load_end", ProcStats.loadAverage());
        } finally {
            for (Process p : procs) {
                p.destroy();
            }
            for (Process p : procs) {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        return row;
    }

    private static long cpu(List<Process> procs) {
        long sum = 0;
        for (Process p : procs) {
            sum += Math.max(0, ProcStats.cpuNanos(String.valueOf(p.pid()), true));
        }
        return sum;
    }

    private Map<String, Object> row(String tool, int n, double load) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tool", tool);
        row.put("n", n);
        row.put("time", Instant.now().toString());
        row.put("load_start", load);
        return row;
    }

    // ---------------------------------------------------------------- child JVMs

    private Process java(List<String> jvmOptions, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        String name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        String suffix = args.length > 2 && mainClass.equals(CamelIngestRun.class.getName()) ? "-n" + args[2] : "";
        return new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(out.resolve(name + suffix + ".log").toFile()))
                .start();
    }

    private int awaitReady(Process server) throws Exception {
        BufferedReader r = reader(server.getInputStream());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(LoadServer.READY)) {
                        String[] f = line.substring(LoadServer.READY.length()).trim().split(" ");
                        nominalKbps = Double.parseDouble(f[1]);
                        port.complete(Integer.parseInt(f[0]));
                    } else {
                        System.out.println("  [load server] " + line);
                    }
                }
                port.completeExceptionally(new IllegalStateException("the load server ended; see "
                                                                     + out.resolve("LoadServer.log")));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "load-server-output");
        t.setDaemon(true);
        t.start();
        return port.get(60, TimeUnit.SECONDS);
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- output

    private static final List<String> COLUMNS = List.of("tool", "n", "ok", "playing", "seconds", "bitrate_kbps",
            "delivered_pct", "cpu_us_per_packet",
            "cpu_pct_per_stream", "cpu_pct_total", "cpu_pct_sys", "cpu_pct_io", "cpu_pct_delivery", "cpu_pct_jvm",
            "alloc_bytes_per_frame", "rss_mb", "rss_kb_per_stream", "heap_mb", "heap_kb_per_stream",
            "heap_warm_kb_per_stream", "gc_count", "gc_ms", "packets_per_s", "frames_per_s", "packets_lost",
            "frames_dropped", "playing_after_s", "lat_p50_ms", "lat_p90_ms", "lat_p99_ms", "lat_p999_ms",
            "lat_max_ms", "server_cpu_pct", "processes_alive", "load_start", "load_end", "time");

    private void write() {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            List<String> cells = new ArrayList<>();
            for (String c : COLUMNS) {
                Object v = r.get(c);
                cells.add(v == null ? "" : v.toString());
            }
            csv.append(String.join(",", cells)).append('\n');
            json.append("  {");
            int k = 0;
            for (Map.Entry<String, Object> e : r.entrySet()) {
                Object v = e.getValue();
                json.append(k++ > 0 ? ", " : "").append('"').append(e.getKey()).append("\": ");
                if (v instanceof Number num && Double.isFinite(num.doubleValue()) || v instanceof Boolean) {
                    json.append(v);
                } else if (v instanceof Number) {
                    json.append("null");
                } else {
                    json.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
            json.append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
        json.append("]\n");
        try {
            Files.writeString(out.resolve("ingest.csv"), csv);
            Files.writeString(out.resolve("ingest.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void printSummary() {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-11s %5s %4s %8s %10s %8s %9s %9s %9s %8s %7s %6s %6s %8s %8s %8s%n",
                "tool", "N", "ok", "kbit/s", "cpu%/strm", "cpu%tot", "rss MB", "rssKB/s", "heapKB/s", "pkt/s",
                "fr/s", "lost", "drop", "play s", "p50 ms", "p99 ms");
        for (Map<String, Object> r : rows) {
            System.out.printf(Locale.ROOT, "%-11s %5s %4s %8s %10s %8s %9s %9s %9s %8s %7s %6s %6s %8s %8s %8s%n",
                    r.get("tool"), r.get("n"), cell(r, "ok"), cell(r, "bitrate_kbps"), cell(r, "cpu_pct_per_stream"),
                    cell(r, "cpu_pct_total"), cell(r, "rss_mb"), cell(r, "rss_kb_per_stream"),
                    cell(r, "heap_kb_per_stream"), cell(r, "packets_per_s"), cell(r, "frames_per_s"),
                    cell(r, "packets_lost"), cell(r, "frames_dropped"), cell(r, "playing_after_s"),
                    cell(r, "lat_p50_ms"), cell(r, "lat_p99_ms"));
        }
        System.out.println();
        System.out.println("ratios camel-rtsp / other at the same N (below 1 = camel-rtsp uses less):");
        for (Map<String, Object> c : rows) {
            if (!"camel-rtsp".equals(c.get("tool"))) {
                continue;
            }
            for (Map<String, Object> o : rows) {
                if (o.get("tool").equals("camel-rtsp") || !o.get("n").equals(c.get("n"))) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "  N=%-5s vs %-10s cpu %s  rss %s%n", c.get("n"), o.get("tool"),
                        ratio(c, o, "cpu_pct_per_stream"), ratio(c, o, "rss_mb"));
            }
        }
        System.out.println("CSV and JSON: " + out.resolve("ingest.csv") + ", " + out.resolve("ingest.json"));
    }

    /** camel-rtsp's value divided by the other tool's, as text ("n/a" when one is missing or zero). */
    static String ratio(Map<String, Object> camel, Map<String, Object> other, String key) {
        Object a = camel.get(key);
        Object b = other.get(key);
        if (a instanceof Number x && b instanceof Number y && y.doubleValue() > 0) {
            return String.format(Locale.ROOT, "%.2f", x.doubleValue() / y.doubleValue());
        }
        return "n/a";
    }

    private static String cell(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v == null ? "-" : v.toString();
    }

    private static int[] parseList(String list) {
        String[] parts = list.split(",");
        int[] ns = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ns[i] = Integer.parseInt(parts[i].trim());
            if (ns[i] < 1) {
                throw new IllegalArgumentException("N must be at least 1: " + list);
            }
        }
        return ns;
    }

    private static double d(String s) {
        return s == null ? Double.NaN : Double.parseDouble(s);
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
