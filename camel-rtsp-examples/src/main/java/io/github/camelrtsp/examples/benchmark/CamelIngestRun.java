package io.github.camelrtsp.examples.benchmark;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelrtsp.RtspConstants;
import io.github.camelrtsp.RtspConsumer;
import io.github.camelrtsp.client.ClientState;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The measured side of the ingest benchmark, run in its own JVM: one CamelContext with N routes
 * {@code from("rtsp://...?output=frame").process(count)}, a warm-up, then a measured window. Prints one line
 * {@code RESULT key=value<TAB>key=value...} with the figures of the window.
 *
 * <p>Arguments: {@code <baseUrl> <paths> <n> <warmupSeconds> <seconds>}; stream {@code i} plays
 * {@code baseUrl + (i % paths)}.
 */
public final class CamelIngestRun {

    /** Prefix of the result line. */
    public static final String RESULT = "RESULT ";
    /** Printed when the measured window starts (the parent samples the load server's CPU then). */
    public static final String WINDOW_START = "WINDOW START";
    /** Printed when the measured window ends. */
    public static final String WINDOW_END = "WINDOW END";

    private static final Pattern RECEIVED = Pattern.compile("packets received=(\\d+) lost=(\\d+)");
    private static final Pattern DROPPED = Pattern.compile(" dropped=(\\d+)");

    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    private CamelIngestRun() {
    }

    /** Runs one measurement and prints the result line. */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: CamelIngestRun <baseUrl> <paths> <n> <warmupSeconds> <seconds>");
            System.exit(2);
        }
        Map<String, Object> r = new CamelIngestRun().run(args[0], Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        StringBuilder sb = new StringBuilder(RESULT);
        r.forEach((k, v) -> sb.append(k).append('=').append(v).append('\t'));
        System.out.println(sb.toString().trim());
        System.out.flush();
        System.exit(0);
    }

    private Map<String, Object> run(String baseUrl, int paths, int n, int warmupSeconds, int seconds)
            throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        CamelContext context = new DefaultCamelContext();
        // component settings under test: -Dbench.ioThreads=..., -Dbench.deliveryThreads=... (defaults otherwise)
        io.github.camelrtsp.RtspComponent rtsp = new io.github.camelrtsp.RtspComponent();
        rtsp.setIoThreads(Integer.getInteger("bench.ioThreads", rtsp.getIoThreads()));
        rtsp.setDeliveryThreads(Integer.getInteger("bench.deliveryThreads", rtsp.getDeliveryThreads()));
        context.addComponent("rtsp", rtsp);
        if (Boolean.getBoolean("bench.pooledExchanges")) {
            // Camel's pooled exchange factory: exchanges are reused after the route is done with them
            context.getCamelContextExtension().setExchangeFactory(
                    new org.apache.camel.impl.engine.PooledExchangeFactory());
            context.getCamelContextExtension().setProcessorExchangeFactory(
                    new org.apache.camel.impl.engine.PooledProcessorExchangeFactory());
        }
        context.getShutdownStrategy().setTimeout(20);
        context.getShutdownStrategy().setLogInflightExchangesOnTimeout(false);
        context.start();
        long heapBase = heapAfterGc();

        long t0 = System.nanoTime();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < n; i++) {
                    // a distinct user agent per route makes each endpoint URI unique (Camel allows one consumer each)
                    from(baseUrl + (i % paths) + "?output=frame&media=video&userAgent=bench-" + i).routeId("s" + i)
                            .process(exchange -> {
                                long received = exchange.getIn().getHeader(RtspConstants.RECEIVED_NANOS, 0L,
                                        Long.class);
                                long now = System.nanoTime();
                                byte[] body = (byte[]) exchange.getIn().getBody();
                                frames.increment();
                                bytes.add(body.length);
                                if (received != 0) {
                                    latency.record(now - received);
                                }
                            });
                }
            }
        });
        List<RtspConsumer> consumers = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            consumers.add((RtspConsumer) route.getConsumer());
        }
        double playingAfter = waitAllPlaying(consumers, t0, Math.max(60, n / 5));
        r.put("playing", countPlaying(consumers));
        r.put("playing_after_s", playingAfter < 0 ? "NaN" : String.format(Locale.ROOT, "%.2f", playingAfter));

        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
        long heapWarm = heapAfterGc();

        long[] pk0 = packetCounters(consumers);
        long dropped0 = queueDrops(consumers);
        long gcCount0 = gcCount();
        long gcMillis0 = gcMillis();
        long f0 = frames.sum();
        long b0 = bytes.sum();
        latency.reset();
        Map<String, long[]> threads0 = threadGroups();
        long[] us0 = ProcStats.userSystemNanos("self");
        long cpu0 = ProcStats.cpuNanos("self", false);
        long w0 = System.nanoTime();
        System.out.println(WINDOW_START);
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long cpu1 = ProcStats.cpuNanos("self", false);
        long[] us1 = ProcStats.userSystemNanos("self");
        long w1 = System.nanoTime();
        System.out.println(WINDOW_END);
        System.out.flush();
        Map<String, long[]> threads1 = threadGroups();
        long f1 = frames.sum();
        long b1 = bytes.sum();
        long gcCount1 = gcCount();
        long gcMillis1 = gcMillis();
        long[] pk1 = packetCounters(consumers);
        long dropped1 = queueDrops(consumers);
        long rss = ProcStats.rssBytes("self");
        int playingEnd = countPlaying(consumers);
        double window = (w1 - w0) / 1e9;
        long heapEnd = heapAfterGc();

        r.put("playing_end", playingEnd);
        r.put("window_s", String.format(Locale.ROOT, "%.2f", window));
        r.put("cpu_s", String.format(Locale.ROOT, "%.3f", (cpu1 - cpu0) / 1e9));
        r.put("cpu_sys_s", String.format(Locale.ROOT, "%.3f", (us1[1] - us0[1]) / 1e9));
        r.put("heap_base_mb", mb(heapBase));
        r.put("heap_warm_mb", mb(heapWarm));
        r.put("heap_end_mb", mb(heapEnd));
        r.put("rss_mb", mb(rss));
        r.put("gc_count", gcCount1 - gcCount0);
        r.put("gc_ms", gcMillis1 - gcMillis0);
        r.put("packets", pk1[0] - pk0[0]);
        r.put("packets_lost", pk1[1]);
        r.put("frames_dropped", (dropped1 - dropped0) + (pk1[2] - pk0[2]));
        r.put("frames", f1 - f0);
        r.put("bytes", b1 - b0);
        long javaCpu = 0;
        long alloc = 0;
        StringBuilder groups = new StringBuilder();
        for (Map.Entry<String, long[]> e : threads1.entrySet()) {
            long[] before = threads0.getOrDefault(e.getKey(), new long[2]);
            long c = e.getValue()[0] - before[0];
            long a = e.getValue()[1] - before[1];
            javaCpu += c;
            alloc += a;
            groups.append(String.format(Locale.ROOT, "%n  %-40s cpu %6.2f %% of a core, allocated %8.1f MB/s",
                    e.getKey(), c / 1e7 / window, a / 1048576.0 / window));
        }
        System.err.printf(Locale.ROOT, "CPU by thread group over the window (N=%d):%s%n  %-40s cpu %6.2f %% of a core"
                                       + " (GC, JIT and other JVM threads)%n", n, groups, "jvm-internal",
                ((cpu1 - cpu0) - javaCpu) / 1e7 / window);
        r.put("cpu_io_s", String.format(Locale.ROOT, "%.3f", group(threads0, threads1, "camel-rtsp-io") / 1e9));
        r.put("cpu_delivery_s", String.format(Locale.ROOT, "%.3f", group(threads0, threads1, "RtspDelivery") / 1e9));
        r.put("cpu_jvm_s", String.format(Locale.ROOT, "%.3f", ((cpu1 - cpu0) - javaCpu) / 1e9));
        r.put("alloc_bytes", alloc);
        r.put("lat_count", latency.count());
        r.put("lat_p50_ms", ms(latency.percentile(0.50)));
        r.put("lat_p90_ms", ms(latency.percentile(0.90)));
        r.put("lat_p99_ms", ms(latency.percentile(0.99)));
        r.put("lat_p999_ms", ms(latency.percentile(0.999)));
        r.put("lat_max_ms", ms(latency.max()));
        System.err.println("stopping " + n + " routes");
        context.stop();
        return r;
    }

    /** CPU nanoseconds and allocated bytes per thread group (thread name with digits removed). */
    private static Map<String, long[]> threadGroups() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, long[]> groups = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            long alloc = mx.getThreadAllocatedBytes(info.getThreadId());
            long[] g = groups.computeIfAbsent(info.getThreadName().replaceAll("\\d+", "#"), k -> new long[2]);
            g[0] += Math.max(0, cpu);
            g[1] += Math.max(0, alloc);
        }
        return groups;
    }

    private static long group(Map<String, long[]> before, Map<String, long[]> after, String part) {
        long sum = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            if (e.getKey().contains(part)) {
                sum += e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0];
            }
        }
        return sum;
    }

    private static double waitAllPlaying(List<RtspConsumer> consumers, long t0, int timeoutSeconds)
            throws InterruptedException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (countPlaying(consumers) == consumers.size()) {
                return (System.nanoTime() - t0) / 1e9;
            }
            Thread.sleep(20);
        }
        return -1;
    }

    private static int countPlaying(List<RtspConsumer> consumers) {
        int playing = 0;
        for (RtspConsumer c : consumers) {
            if (c.state() == ClientState.PLAYING) {
                playing++;
            }
        }
        return playing;
    }

    /** Sums over all consumers: packets received, packets lost, frames dropped by the depacketizers. */
    private static long[] packetCounters(List<RtspConsumer> consumers) {
        long[] sum = new long[3];
        for (RtspConsumer c : consumers) {
            for (String line : c.trackStatistics()) {
                Matcher m = RECEIVED.matcher(line);
                if (m.find()) {
                    sum[0] += Long.parseLong(m.group(1));
                    sum[1] += Long.parseLong(m.group(2));
                }
                Matcher d = DROPPED.matcher(line);
                if (d.find()) {
                    sum[2] += Long.parseLong(d.group(1));
                }
            }
        }
        return sum;
    }

    private static long queueDrops(List<RtspConsumer> consumers) {
        long sum = 0;
        for (RtspConsumer c : consumers) {
            sum += c.getPacketsDropped();
        }
        return sum;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
