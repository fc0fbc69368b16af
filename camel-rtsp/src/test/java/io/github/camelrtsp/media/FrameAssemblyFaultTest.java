package io.github.camelrtsp.media;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.camelrtsp.client.ClientState;
import io.github.camelrtsp.client.MediaTrack;
import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.RtspMediaListener;
import io.github.camelrtsp.client.RtspSessionInfo;
import io.github.camelrtsp.client.RtspStreamClient;
import io.github.camelrtsp.client.ScriptedRtspServer;
import io.github.camelrtsp.client.TransportMode;
import io.github.camelrtsp.format.annexb.AnnexBDepacketizer;
import io.github.camelrtsp.headers.TransportHeader;
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.rtp.RtpPacket;
import io.github.camelrtsp.testsupport.FfProbe;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames from a real recorded stream (the corpus' Big Buck Bunny session) through the client and the frame
 * assembler, with packets dropped, duplicated and reordered over UDP, or the connection cut in the middle of a frame:
 * no corrupt frame comes out, and every loss is counted.
 */
class FrameAssemblyFaultTest {

    private static EventLoopGroup group;
    private static List<byte[]> audio;
    private static List<byte[]> video;
    private ScriptedRtspServer server;
    private RtspStreamClient client;
    private final List<TimedFrame> frames = new CopyOnWriteArrayList<>();
    private volatile FrameAssembler assembler;

    @BeforeAll
    static void load() {
        FfProbe.requireAvailable();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        audio = new ArrayList<>();
        video = new ArrayList<>();
        byte[] rec = ScriptedRtspServer.corpusBytes("bunny-interleaved.rtsp");
        for (int i = 0; i < rec.length;) {
            int channel = rec[i + 1] & 0xFF;
            int len = ((rec[i + 2] & 0xFF) << 8) | (rec[i + 3] & 0xFF);
            byte[] packet = java.util.Arrays.copyOfRange(rec, i + 4, i + 4 + len);
            (channel == 0 ? audio : video).add(packet);
            i += 4 + len;
        }
    }

    @AfterAll
    static void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void cleanup() throws Exception {
        if (client != null) {
            client.stop().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private RtspMediaListener listener() {
        return new RtspMediaListener() {
            @Override
            public void onPlaying(RtspSessionInfo session) {
                assembler = new FrameAssembler(session, 1 << 20, frames::add);
            }

            @Override
            public void onRtpPacket(MediaTrack track, RtpPacket packet) {
                assembler.onRtpPacket(track, packet);
            }
        };
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private List<TimedFrame> of(String codec) {
        return frames.stream().filter(f -> f.track().codec().equals(codec)).toList();
    }

    private static Path write(List<TimedFrame> list, String name) throws Exception {
        Path file = Files.createDirectories(Path.of("target/frame-faults")).resolve(name + "-" + System.nanoTime());
        try (var out = Files.newOutputStream(file)) {
            for (TimedFrame f : list) {
                out.write(f.frame().data());
            }
        }
        return file;
    }

    @Test
    void udpLossDuplicatesAndReorderGiveOnlyWholeFrames() throws Exception {
        Set<Integer> drops = Set.of(20, 100, 180, 250);
        Set<Integer> dups = Set.of(5, 55, 130);
        Set<Integer> swaps = Set.of(12, 40, 77, 150, 200);
        List<byte[]> impaired = new ArrayList<>();
        for (int i = 0; i < video.size(); i++) {
            if (swaps.contains(i)) {
                impaired.add(video.get(i + 1));
                impaired.add(video.get(i));
                i++;
                continue;
            }
            if (drops.contains(i)) {
                continue;
            }
            impaired.add(video.get(i));
            if (dups.contains(i)) {
                impaired.add(video.get(i));
            }
        }
        DatagramSocket out = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        int[] ports = new int[2];
        server = new ScriptedRtspServer(call -> {
            switch (call.request.method()) {
                case "DESCRIBE" -> call.reply(ScriptedRtspServer.corpusResponse("bunny_describe.txt"));
                case "SETUP" -> {
                    TransportHeader asked = TransportHeader.parse(call.request.headers().get("Transport"));
                    ports[call.request.uri().endsWith("trackID=1") ? 0 : 1] = asked.clientPort()[0];
                    RtspResponse r = new RtspResponse(200, "OK");
                    r.headers().set("Session", "b1;timeout=60");
                    r.headers().set("Transport", "RTP/AVP;unicast;client_port=" + asked.clientPort()[0] + "-"
                            + asked.clientPort()[1] + ";server_port=" + out.getLocalPort() + "-"
                            + (out.getLocalPort() + 1));
                    call.reply(r);
                }
                case "PLAY" -> {
                    call.reply(200, "OK");
                    Thread sender = new Thread(() -> {
                        try {
                            send(out, audio, ports[0]);
                            send(out, impaired, ports[1]);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    sender.start();
                }
                default -> call.reply(200, "OK");
            }
        });
        client = new RtspStreamClient(new RtspClientOptions().url(server.url("/vod/bunny"))
                .transport(TransportMode.UDP).reorderDelay(Duration.ofMillis(200))
                .receiveTimeout(Duration.ofSeconds(30)), group, listener());
        client.start();
        MediaTrack[] videoTrack = new MediaTrack[1];
        await(() -> client.session() != null && client.session().tracks().size() == 2, "playing");
        videoTrack[0] = client.session().tracks().get(1);
        await(() -> videoTrack[0].statistics().packetsReceived() >= video.size() - drops.size()
                && assembler.depacketizer(1) != null, "all video packets");
        Thread.sleep(400); // let the reorder buffer give up the last gap
        out.close();

        assertEquals(drops.size(), videoTrack[0].statistics().packetsLost(), "every dropped packet counted lost");
        assertEquals(dups.size(), videoTrack[0].statistics().packetsDuplicated(), "duplicates counted");
        List<TimedFrame> h264 = of("H264");
        AnnexBDepacketizer d = (AnnexBDepacketizer) assembler.depacketizer(1);
        assertTrue(d.framesDropped() + d.undecodableFramesSkipped() > 0, "damaged frames dropped, not emitted");
        assertTrue(h264.stream().anyMatch(TimedFrame::discontinuity), "the frame after a loss is flagged");
        assertEquals(h264.size(), FfProbe.countDecodedVideoFrames(write(h264, "bunny-udp.h264"), "h264"),
                "every emitted frame decodes");
        List<TimedFrame> aac = of("MPEG4-GENERIC");
        FfProbe.DecodeResult r = FfProbe.decode(write(aac, "bunny-udp.aac"), "aac", "a:0");
        assertTrue(r.clean(), r.errors());
        assertEquals(aac.size(), r.frames());
    }

    private static void send(DatagramSocket out, List<byte[]> packets, int port) throws Exception {
        int n = 0;
        for (byte[] p : packets) {
            out.send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), port));
            if (++n % 8 == 0) {
                Thread.sleep(2); // stay within the socket buffer: this test is about our losses, not the kernel's
            }
        }
    }

    @Test
    void connectionCutInTheMiddleOfAFrameEmitsNoPartialFrame() throws Exception {
        byte[] rec = ScriptedRtspServer.corpusBytes("bunny-interleaved.rtsp");
        // cut inside the payload of the 200th interleaved packet
        int cut = 0;
        for (int k = 0; k < 200; k++) {
            cut += 4 + (((rec[cut + 2] & 0xFF) << 8) | (rec[cut + 3] & 0xFF));
        }
        int cutAt = cut + 4 + 10;
        int[] setups = new int[1];
        server = new ScriptedRtspServer(call -> {
            switch (call.request.method()) {
                case "DESCRIBE" -> call.reply(ScriptedRtspServer.corpusResponse("bunny_describe.txt"));
                case "SETUP" -> {
                    RtspResponse r = ScriptedRtspServer.corpusResponse("bunny_setup.txt");
                    int n = setups[0]++;
                    r.headers().set("Transport", "RTP/AVP/TCP;unicast;interleaved=" + (2 * n) + "-" + (2 * n + 1));
                    call.reply(r);
                }
                case "PLAY" -> {
                    call.reply(ScriptedRtspServer.corpusResponse("bunny_play.txt"));
                    call.channel.writeAndFlush(Unpooled.wrappedBuffer(rec, 0, cutAt))
                            .addListener(f -> call.channel.close());
                }
                default -> call.reply(200, "OK");
            }
        });
        client = new RtspStreamClient(new RtspClientOptions().url(server.url("/vod/bunny"))
                .maxReconnectAttempts(0), group, listener());
        client.start();
        await(() -> client.state() == ClientState.FAILED, "the connection loss");
        List<TimedFrame> h264 = of("H264");
        assertTrue(h264.size() > 10, "frames before the cut: " + h264.size());
        assertEquals(h264.size(), FfProbe.countDecodedVideoFrames(write(h264, "bunny-cut.h264"), "h264"),
                "every emitted frame decodes; the cut frame is not emitted");
    }
}
