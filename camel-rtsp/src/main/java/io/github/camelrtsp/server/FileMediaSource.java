package io.github.camelrtsp.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.format.Packetizer;
import io.github.camelrtsp.format.PacketizerParameters;
import io.github.camelrtsp.format.Packetizers;
import io.github.camelrtsp.format.aac.AudioSpecificConfig;
import io.github.camelrtsp.format.annexb.AnnexBNalUnits;
import io.netty.buffer.ByteBuf;

/**
 * Publishes media files to a {@link ServerStream} in a loop at real-time pace, like a live camera.
 * <p>
 * Supported containers: H.264/H.265 Annex B elementary streams and AAC ADTS; no MP4 yet. The files are loaded into
 * memory once (each at most {@link #MAX_FILE_BYTES}) and split there: the video into access units, one per frame at
 * the frame rate of the {@link Options}, the audio into ADTS frames of 1024 samples at the ADTS sampling rate. The
 * parameter sets (and the AudioSpecificConfig derived from the first ADTS header) are read before the stream is
 * created, so {@link #tracks()} carries complete {@code rtpmap}/{@code fmtp} values from the packetizers.
 * <p>
 * Access unit rule (H.264 7.4.1.2.3, H.265 7.4.2.4.4, reduced to what elementary-stream encoders write): once the
 * access unit being built holds a coded slice, a new one begins at an access unit delimiter, a parameter set, a
 * prefix SEI or another NAL unit type that may only precede the first slice (H.264 14..18, H.265 41..44 and 48..55),
 * or at a slice that is the first of a picture (H.264 {@code first_mb_in_slice == 0}, H.265
 * {@code first_slice_segment_in_pic_flag == 1}). Everything else (further slices, suffix SEI, end of sequence, filler)
 * stays in the current access unit. Arbitrary slice order is not supported. An access unit is a key frame when it
 * holds an IDR slice (H.264 type 5) or an IRAP slice (H.265 types 16..23).
 * <p>
 * Pacing: one daemon thread sends each frame when it is due; RTP timestamps follow the frame count (video
 * {@code n * 90000 / fps}, audio {@code m * 1024}), so they keep increasing across loops of the files. The two tracks
 * loop independently. When the thread falls more than {@link #MAX_LATE_NANOS} behind (a long pause of the JVM), the
 * schedule is moved to now instead of sending a burst; this is counted in {@link #lateResets()} and logged.
 */
public final class FileMediaSource implements AutoCloseable {

    /** Largest file accepted, in bytes (64 MiB). */
    public static final int MAX_FILE_BYTES = 64 * 1024 * 1024;
    /** RTP payload type of the video track (track 0). */
    public static final int VIDEO_PAYLOAD_TYPE = 96;
    /** RTP payload type of the audio track (track 1). */
    public static final int AUDIO_PAYLOAD_TYPE = 97;
    /** AAC samples per ADTS frame. */
    public static final int AAC_SAMPLES_PER_FRAME = 1024;
    /** How far the sender may fall behind before its schedule is moved to now. */
    public static final long MAX_LATE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(FileMediaSource.class);
    private static final byte[] START_CODE = {0, 0, 0, 1};
    private static final int[] ADTS_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
        11025, 8000, 7350};

    /** Settings of a {@link FileMediaSource}. */
    public static final class Options {
        private String videoCodec = "H264";
        private double frameRate = 25.0;
        private int mtu = 1400;

        /** Defaults: H264, 25 fps, MTU 1400. */
        public Options() {
        }

        /** The video codec, {@code H264} or {@code H265}. */
        public String videoCodec() {
            return videoCodec;
        }

        /** Sets the video codec of the Annex B file: {@code H264} or {@code H265} (any case). */
        public Options videoCodec(String codec) {
            String c = Objects.requireNonNull(codec, "codec").trim().toUpperCase(Locale.ROOT);
            if (!c.equals("H264") && !c.equals("H265")) {
                throw new IllegalArgumentException("video codec must be H264 or H265, not " + codec);
            }
            this.videoCodec = c;
            return this;
        }

        /** Frames per second of the video. */
        public double frameRate() {
            return frameRate;
        }

        /** Sets the frames per second of the video, greater than 0 and at most 240. */
        public Options frameRate(double fps) {
            if (!(fps > 0 && fps <= 240)) {
                throw new IllegalArgumentException("frame rate must be within (0, 240]: " + fps);
            }
            this.frameRate = fps;
            return this;
        }

        /** Largest RTP packet, header included. */
        public int mtu() {
            return mtu;
        }

        /** Sets the largest RTP packet in bytes, header included (200..65535). */
        public Options mtu(int mtu) {
            if (mtu < 200 || mtu > 65535) {
                throw new IllegalArgumentException("MTU must be within 200..65535: " + mtu);
            }
            this.mtu = mtu;
            return this;
        }
    }

    /** An access unit or ADTS frame of a file, as packetizers take it. */
    record Frame(byte[] data, boolean keyFrame) {
    }

    private final Options options;
    private final List<Frame> video;
    private final List<byte[]> audio;
    private final int sampleRate;
    private final Packetizer videoPacketizer;
    private final Packetizer audioPacketizer;
    private final List<ServerTrack> tracks;
    private final long videoBase;
    private final long audioBase;
    private final double nanosPerVideoFrame;
    private final double nanosPerAudioFrame;
    private final AtomicLong videoSent = new AtomicLong();
    private final AtomicLong audioSent = new AtomicLong();
    private final AtomicLong lateResets = new AtomicLong();
    private final AtomicLong failedFrames = new AtomicLong();

    // sender state, only touched by the sender thread once started
    private ServerStream stream;
    private volatile ScheduledExecutorService executor;
    private volatile boolean running;
    private boolean started;
    private long t0;
    private long videoIndex;
    private long audioIndex;
    private int sendTrack;
    private boolean pendingKey;
    private final Packetizer.PacketSink sink = this::onPacket;

    private FileMediaSource(byte[] videoFile, byte[] audioFile, Options options) {
        this.options = Objects.requireNonNull(options, "options");
        Objects.requireNonNull(videoFile, "video");
        String codec = options.videoCodec();
        this.video = splitVideo(videoFile, codec);
        Map<String, String> videoFmtp = parameterSetFmtp(videoFile, codec);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.videoPacketizer = Packetizers.create(new PacketizerParameters(codec, VIDEO_PAYLOAD_TYPE, 90000, null,
                videoFmtp, 0, 0, options.mtu()));
        List<ServerTrack> t = new ArrayList<>();
        t.add(new ServerTrack("video", VIDEO_PAYLOAD_TYPE, videoPacketizer.rtpMap(),
                videoPacketizer.formatParameters(), 90000));
        checkPacketizable();
        if (audioFile != null) {
            this.audio = splitAdtsFrames(audioFile);
            AudioSpecificConfig asc = adtsConfig(audio.get(0));
            this.sampleRate = asc.samplingFrequency();
            this.audioPacketizer = Packetizers.create(new PacketizerParameters("MPEG4-GENERIC", AUDIO_PAYLOAD_TYPE,
                    sampleRate, asc.channelCount(), Map.of("config", HexFormat.of().formatHex(asc.bytes())), 0, 0,
                    options.mtu()));
            t.add(new ServerTrack("audio", AUDIO_PAYLOAD_TYPE, audioPacketizer.rtpMap(),
                    audioPacketizer.formatParameters(), sampleRate));
        } else {
            this.audio = List.of();
            this.sampleRate = 0;
            this.audioPacketizer = null;
        }
        this.tracks = List.copyOf(t);
        this.videoBase = random.nextLong(0x1_0000_0000L);
        this.audioBase = random.nextLong(0x1_0000_0000L);
        this.nanosPerVideoFrame = 1e9 / options.frameRate();
        this.nanosPerAudioFrame = sampleRate == 0 ? 0 : AAC_SAMPLES_PER_FRAME * 1e9 / sampleRate;
    }

    /**
     * Loads an Annex B video file and an optional ADTS file.
     *
     * @param video Annex B elementary stream of {@code options.videoCodec()}
     * @param audio AAC ADTS file, or null for video only
     * @throws IOException              if a file cannot be read
     * @throws IllegalArgumentException if a file is larger than {@link #MAX_FILE_BYTES}, is empty or malformed, or
     *                                  has no parameter sets
     */
    public static FileMediaSource open(Path video, Path audio, Options options) throws IOException {
        return new FileMediaSource(read(video), audio == null ? null : read(audio), options);
    }

    /**
     * Uses file contents already in memory (not copied; do not change the arrays afterwards).
     *
     * @throws IllegalArgumentException as for {@link #open(Path, Path, Options)}
     */
    public static FileMediaSource of(byte[] video, byte[] audio, Options options) {
        checkSize(video == null ? 0 : video.length, "video");
        if (audio != null) {
            checkSize(audio.length, "audio");
        }
        return new FileMediaSource(video, audio, options);
    }

    /**
     * Reads a whole stream (a classpath resource, for example), refusing more than {@link #MAX_FILE_BYTES}.
     *
     * @throws IllegalArgumentException if the stream holds more than {@link #MAX_FILE_BYTES}
     */
    public static byte[] readBounded(InputStream in, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(name + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] read(Path file) throws IOException {
        checkSize(Files.size(file), file.toString());
        try (InputStream in = Files.newInputStream(file)) {
            return readBounded(in, file.toString());
        }
    }

    private static void checkSize(long size, String name) {
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(name + " has " + size + " bytes; at most " + MAX_FILE_BYTES
                    + " are loaded into memory");
        }
    }

    // ---------------------------------------------------------------- splitting

    /**
     * Splits an Annex B elementary stream into access units by the rule in the class description. Each access unit
     * is a new array of its NAL units, each behind a {@code 00 00 00 01} start code.
     *
     * @param codec {@code H264} or {@code H265}
     * @throws IllegalArgumentException if the data does not begin with a start code, holds no coded slice, or a
     *                                  slice NAL unit is too short to tell where its picture starts
     */
    public static List<byte[]> splitAccessUnits(byte[] annexB, String codec) {
        List<Frame> frames = splitVideo(annexB, new Options().videoCodec(codec).videoCodec());
        List<byte[]> out = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            out.add(f.data());
        }
        return out;
    }

    /** Tells which access units of {@link #splitAccessUnits} are key frames (IDR / IRAP). */
    public static boolean[] keyFrames(byte[] annexB, String codec) {
        List<Frame> frames = splitVideo(annexB, new Options().videoCodec(codec).videoCodec());
        boolean[] keys = new boolean[frames.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = frames.get(i).keyFrame();
        }
        return keys;
    }

    private static List<Frame> splitVideo(byte[] data, String codec) {
        boolean h265 = codec.equals("H265");
        AnnexBNalUnits units = new AnnexBNalUnits();
        int n = units.scan(data, 0, data.length);
        if (!units.beginsWithStartCode()) {
            throw new IllegalArgumentException(codec + " file does not begin with an Annex B start code");
        }
        List<Frame> frames = new ArrayList<>();
        int first = 0;
        boolean hasSlice = false;
        boolean key = false;
        int headerLength = h265 ? 2 : 1;
        for (int i = 0; i < n; i++) {
            int s = units.start(i);
            if (units.length(i) < headerLength) {
                throw new IllegalArgumentException(codec + " NAL unit at offset " + s + " is shorter than its header");
            }
            int type = h265 ? (data[s] >> 1) & 0x3F : data[s] & 0x1F;
            boolean slice = h265 ? type <= 31 : type >= 1 && type <= 5;
            boolean startsUnit;
            if (slice) {
                if (units.length(i) <= headerLength) {
                    throw new IllegalArgumentException(codec + " slice NAL unit at offset " + s + " has no slice header");
                }
                boolean firstOfPicture = (data[s + headerLength] & 0x80) != 0;
                startsUnit = hasSlice && firstOfPicture;
            } else {
                startsUnit = hasSlice && precedesFirstSlice(type, h265);
            }
            if (startsUnit) {
                frames.add(new Frame(concat(data, units, first, i), key));
                first = i;
                hasSlice = false;
                key = false;
            }
            if (slice) {
                hasSlice = true;
                key |= h265 ? type >= 16 && type <= 23 : type == 5;
            }
        }
        if (hasSlice) {
            frames.add(new Frame(concat(data, units, first, n), key));
        } else if (!frames.isEmpty() && first < n) {
            // NAL units after the last slice that start no picture (e.g. a trailing AUD): keep them with the last one
            Frame last = frames.remove(frames.size() - 1);
            byte[] tail = concat(data, units, first, n);
            byte[] joined = new byte[last.data().length + tail.length];
            System.arraycopy(last.data(), 0, joined, 0, last.data().length);
            System.arraycopy(tail, 0, joined, last.data().length, tail.length);
            frames.add(new Frame(joined, last.keyFrame()));
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException(codec + " file holds no coded slice");
        }
        return frames;
    }

    private static boolean precedesFirstSlice(int type, boolean h265) {
        if (h265) {
            return (type >= 32 && type <= 35) || type == 39 || (type >= 41 && type <= 44) || (type >= 48 && type <= 55);
        }
        return (type >= 6 && type <= 9) || (type >= 14 && type <= 18);
    }

    private static byte[] concat(byte[] data, AnnexBNalUnits units, int from, int to) {
        int size = 0;
        for (int i = from; i < to; i++) {
            size += START_CODE.length + units.length(i);
        }
        byte[] out = new byte[size];
        int at = 0;
        for (int i = from; i < to; i++) {
            System.arraycopy(START_CODE, 0, out, at, START_CODE.length);
            at += START_CODE.length;
            System.arraycopy(data, units.start(i), out, at, units.length(i));
            at += units.length(i);
        }
        return out;
    }

    /** The first VPS/SPS/PPS of the file as sprop fmtp parameters; refuses a file without SPS or PPS. */
    private static Map<String, String> parameterSetFmtp(byte[] data, String codec) {
        boolean h265 = codec.equals("H265");
        AnnexBNalUnits units = new AnnexBNalUnits();
        int n = units.scan(data, 0, data.length);
        byte[] vps = null;
        byte[] sps = null;
        byte[] pps = null;
        for (int i = 0; i < n && (sps == null || pps == null || (h265 && vps == null)); i++) {
            int s = units.start(i);
            int type = h265 ? (data[s] >> 1) & 0x3F : data[s] & 0x1F;
            if (h265 && type == 32 && vps == null) {
                vps = copy(data, units, i);
            } else if (type == (h265 ? 33 : 7) && sps == null) {
                sps = copy(data, units, i);
            } else if (type == (h265 ? 34 : 8) && pps == null) {
                pps = copy(data, units, i);
            }
        }
        if (sps == null || pps == null || (h265 && vps == null)) {
            throw new IllegalArgumentException(codec + " file has no " + (h265 ? "VPS, " : "") + "SPS and PPS; "
                    + "the SDP needs them");
        }
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, String> fmtp = new LinkedHashMap<>();
        if (h265) {
            fmtp.put("sprop-vps", b64.encodeToString(vps));
            fmtp.put("sprop-sps", b64.encodeToString(sps));
            fmtp.put("sprop-pps", b64.encodeToString(pps));
        } else {
            fmtp.put("sprop-parameter-sets", b64.encodeToString(sps) + "," + b64.encodeToString(pps));
        }
        return fmtp;
    }

    private static byte[] copy(byte[] data, AnnexBNalUnits units, int i) {
        byte[] out = new byte[units.length(i)];
        System.arraycopy(data, units.start(i), out, 0, out.length);
        return out;
    }

    /**
     * Splits an AAC ADTS file into its frames (header included), each a new array. Every frame must have one raw
     * data block and the same profile, sampling frequency and channel configuration as the first.
     *
     * @throws IllegalArgumentException at the first byte that is not a whole, consistent ADTS frame (the message
     *                                  gives the offset), or for an empty file
     */
    public static List<byte[]> splitAdtsFrames(byte[] adts) {
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        int format = -1;
        while (pos < adts.length) {
            if (adts.length - pos < 7) {
                throw new IllegalArgumentException("ADTS: " + (adts.length - pos) + " trailing bytes at offset " + pos
                        + " are not a whole header");
            }
            int b1 = adts[pos + 1] & 0xFF;
            if ((adts[pos] & 0xFF) != 0xFF || (b1 & 0xF6) != 0xF0) {
                throw new IllegalArgumentException("ADTS: no syncword (FFF, layer 0) at offset " + pos);
            }
            int b2 = adts[pos + 2] & 0xFF;
            int b3 = adts[pos + 3] & 0xFF;
            int header = (b1 & 1) != 0 ? 7 : 9;
            int length = ((b3 & 0x03) << 11) | ((adts[pos + 4] & 0xFF) << 3) | ((adts[pos + 5] & 0xFF) >>> 5);
            int blocks = adts[pos + 6] & 0x03;
            int frequencyIndex = (b2 >>> 2) & 0x0F;
            int channels = ((b2 & 1) << 2) | (b3 >>> 6);
            if (length <= header || pos + length > adts.length) {
                throw new IllegalArgumentException("ADTS: frame at offset " + pos + " has length " + length
                        + " (header " + header + ", " + (adts.length - pos) + " bytes left)");
            }
            if (blocks != 0) {
                throw new IllegalArgumentException("ADTS: frame at offset " + pos + " has " + (blocks + 1)
                        + " raw data blocks; one per frame is supported");
            }
            if (frequencyIndex >= ADTS_RATES.length || channels == 0) {
                throw new IllegalArgumentException("ADTS: frame at offset " + pos + " has sampling frequency index "
                        + frequencyIndex + " and channel configuration " + channels + " (0 is not supported)");
            }
            int f = (b2 >>> 6) << 7 | frequencyIndex << 3 | channels;
            if (format < 0) {
                format = f;
            } else if (f != format) {
                throw new IllegalArgumentException("ADTS: frame at offset " + pos + " changes profile, sampling "
                        + "frequency or channel configuration");
            }
            byte[] frame = new byte[length];
            System.arraycopy(adts, pos, frame, 0, length);
            frames.add(frame);
            pos += length;
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("ADTS: empty file");
        }
        return frames;
    }

    /** The 2-byte AudioSpecificConfig an ADTS header describes (object type = profile + 1). */
    private static AudioSpecificConfig adtsConfig(byte[] frame) {
        int profile = (frame[2] & 0xFF) >>> 6;
        int frequencyIndex = (frame[2] >>> 2) & 0x0F;
        int channels = ((frame[2] & 1) << 2) | ((frame[3] & 0xFF) >>> 6);
        int bits = (profile + 1) << 11 | frequencyIndex << 7 | channels << 3;
        return AudioSpecificConfig.parse(new byte[] {(byte) (bits >>> 8), (byte) bits});
    }

    /** Packetizes every access unit once, dropping the packets, so a frame the packetizer refuses fails at load. */
    private void checkPacketizable() {
        for (int i = 0; i < video.size(); i++) {
            try {
                videoPacketizer.packetize(new MediaFrame(0, video.get(i).data(), false, false, 0), ByteBuf::release);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("video access unit " + i + " cannot be sent: " + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------- accessors

    /** The tracks for {@link RtspServer#createStream}: video (track 0) and, with an audio file, audio (track 1). */
    public List<ServerTrack> tracks() {
        return tracks;
    }

    /** Access units of the video file. */
    public int videoFrameCount() {
        return video.size();
    }

    /** Key frames among the access units of the video file. */
    public int keyFrameCount() {
        int n = 0;
        for (Frame f : video) {
            n += f.keyFrame() ? 1 : 0;
        }
        return n;
    }

    /** ADTS frames of the audio file (0 without audio). */
    public int audioFrameCount() {
        return audio.size();
    }

    /** Audio sampling rate (the audio RTP clock rate), or 0 without audio. */
    public int audioSampleRate() {
        return sampleRate;
    }

    /** The settings. */
    public Options options() {
        return options;
    }

    /** Video frames sent so far (across loops). */
    public long videoFramesSent() {
        return videoSent.get();
    }

    /** Audio frames sent so far (across loops). */
    public long audioFramesSent() {
        return audioSent.get();
    }

    /** Times the schedule was moved to now after falling more than {@link #MAX_LATE_NANOS} behind. */
    public long lateResets() {
        return lateResets.get();
    }

    /** Frames that could not be sent (logged); they are skipped. */
    public long failedFrames() {
        return failedFrames.get();
    }

    /** True between {@link #start} and {@link #stop}. */
    public boolean isRunning() {
        return running;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Starts publishing to {@code stream}, which must have been created with {@link #tracks()}. A source runs once:
     * after {@link #stop()} it cannot be started again.
     *
     * @throws IllegalStateException    if already started
     * @throws IllegalArgumentException if the stream's tracks are not {@link #tracks()}
     */
    public synchronized void start(ServerStream stream) {
        Objects.requireNonNull(stream, "stream");
        if (started) {
            throw new IllegalStateException("file media source already started");
        }
        if (!stream.tracks().equals(tracks)) {
            throw new IllegalArgumentException("stream " + stream.path() + " was not created with this source's tracks");
        }
        started = true;
        this.stream = stream;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "file-media-source" + stream.path());
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        this.executor = ex;
        running = true;
        t0 = System.nanoTime();
        ex.execute(this::tick);
        LOG.info("Publishing {} video frame(s){} on {} in a loop", video.size(),
                audio.isEmpty() ? "" : " and " + audio.size() + " ADTS frame(s)", stream.path());
    }

    /** Stops publishing and ends the sender thread; idempotent. */
    public void stop() {
        ScheduledExecutorService ex;
        synchronized (this) {
            running = false;
            ex = executor;
            executor = null;
        }
        if (ex != null) {
            ex.shutdownNow();
            try {
                if (!ex.awaitTermination(2, TimeUnit.SECONDS)) {
                    LOG.warn("File media source thread did not end within 2 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private long videoDue() {
        return t0 + Math.round(videoIndex * nanosPerVideoFrame);
    }

    private long audioDue() {
        return audio.isEmpty() ? Long.MAX_VALUE : t0 + Math.round(audioIndex * nanosPerAudioFrame);
    }

    /** Sends every frame that is due, then sleeps until the next one. Runs on the sender thread only. */
    private void tick() {
        ScheduledExecutorService ex = executor;
        if (!running || ex == null) {
            return;
        }
        if (stream.isRemoved()) {
            LOG.info("Stream {} was removed; the file media source stops", stream.path());
            running = false;
            ex.shutdown();
            return;
        }
        long now = System.nanoTime();
        while (running) {
            long v = videoDue();
            long a = audioDue();
            long due = Math.min(v, a);
            if (due - now > 0) {
                try {
                    ex.schedule(this::tick, due - now, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    running = false; // stop() shut the executor down meanwhile
                }
                return;
            }
            if (now - due > MAX_LATE_NANOS) {
                lateResets.incrementAndGet();
                LOG.warn("File media source on {} is {} ms behind; sending goes on from now (reset {})",
                        stream.path(), (now - due) / 1_000_000, lateResets.get());
                t0 += now - due;
                continue;
            }
            if (v <= a) {
                sendVideo();
            } else {
                sendAudio();
            }
        }
    }

    private void sendVideo() {
        long index = videoIndex++;
        Frame f = video.get((int) (index % video.size()));
        long ts = (videoBase + Math.round(index * 90000.0 / options.frameRate())) & 0xFFFF_FFFFL;
        sendTrack = 0;
        pendingKey = f.keyFrame();
        if (send(videoPacketizer, new MediaFrame(ts, f.data(), f.keyFrame(), false, 0), "video", index)) {
            videoSent.incrementAndGet();
        }
    }

    private void sendAudio() {
        long index = audioIndex++;
        byte[] frame = audio.get((int) (index % audio.size()));
        long ts = (audioBase + index * AAC_SAMPLES_PER_FRAME) & 0xFFFF_FFFFL;
        sendTrack = 1;
        pendingKey = true;
        if (send(audioPacketizer, new MediaFrame(ts, frame, true, false, AAC_SAMPLES_PER_FRAME), "audio", index)) {
            audioSent.incrementAndGet();
        }
    }

    private boolean send(Packetizer packetizer, MediaFrame frame, String kind, long index) {
        try {
            packetizer.packetize(frame, sink);
            return true;
        } catch (RuntimeException e) {
            failedFrames.incrementAndGet();
            LOG.warn("File media source on {}: {} frame {} not sent: {}", stream.path(), kind, index, e.toString());
            return false;
        }
    }

    private void onPacket(ByteBuf packet) {
        boolean key = pendingKey;
        pendingKey = false;
        stream.publish(sendTrack, packet, key);
    }
}
