package io.github.camelrtsp.format.mjpeg;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.github.camelrtsp.format.Depacketizer;
import io.github.camelrtsp.format.FormatParameters;
import io.github.camelrtsp.format.FrameSink;
import io.github.camelrtsp.format.MediaFrame;
import io.github.camelrtsp.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds JPEG images from RTP packets in the payload format of RFC 2435 (encoding name {@code JPEG}, static payload
 * type 26). Each emitted {@link MediaFrame} holds one complete baseline JFIF image (SOI, APP0, DQT, SOF0, DHT, DRI when
 * restart markers are used, SOS, the scan data, EOI) that any JPEG decoder reads on its own; every frame is a key
 * frame.
 * <p>
 * Supported are the types RFC 2435 defines: 0 (4:2:2) and 1 (4:2:0), and 64/65, the same with restart markers.
 * Quantization tables come from Q as Appendix A describes for Q 0..127, or in-band for Q 128..255; a table header
 * with length 0 reuses the tables last received for the same Q in 128..254 (Q 255 must carry its tables in every
 * frame). Reserved types (2..63, 66..127) and session-defined types (128..255) are skipped.
 * <p>
 * Image size: the RFC 2435 header gives width and height in 8-pixel units in one byte each, so it cannot express
 * more than 2040 pixels and a 0 has no meaning in RFC 2435. Senders of larger images put 0 there and announce the
 * real size out of band in the SDP attribute {@code a=x-dimensions:<width>,<height>} (as GStreamer does); when the
 * format parameters carry an {@code x-dimensions} entry in that form, its value replaces a 0 width or height. Without
 * it, a frame with a 0 dimension is skipped as malformed.
 * <p>
 * An ONVIF JPEG header extension (RTP header extension with profile 0xFFD8 or 0xFFFF, ONVIF Streaming
 * Specification "JPEG over RTP") is not interpreted: the image is rebuilt from the RFC 2435 headers alone, which
 * ONVIF asks senders to keep consistent with the extension. Only a frame with Q 0 and that extension is skipped, as
 * ONVIF gives Q 0 the meaning "the tables of the previous frame".
 * <p>
 * Interlaced sources (type-specific field 1..3) send each field as its own JPEG image; each is emitted as a separate
 * frame with the field's height. The fragment offsets of a frame must be contiguous; a gap, a missing first or last
 * packet, or a loss reported by the caller drops the frame. Not thread safe; one instance per track.
 */
public final class JpegDepacketizer implements Depacketizer {

    /** Format parameter (normally the SDP attribute {@code x-dimensions}) giving the size above 2040 pixels. */
    public static final String X_DIMENSIONS = "x-dimensions";

    private static final Logger LOG = LoggerFactory.getLogger(JpegDepacketizer.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAIN_HEADER = 8;
    private static final int RESTART_HEADER = 4;
    private static final int QUANT_HEADER = 4;
    private static final int MAX_OFFSET_END = 1 << 24;
    private static final int TABLE_PAIR = 2 * JpegTables.COEFFICIENTS;
    private static final int INITIAL_CAPACITY = 64 * 1024;
    private static final int NO_VALUE = Integer.MIN_VALUE;
    /** Profile field of the ONVIF JPEG header extension on the first packet of a frame (the SOI marker). */
    private static final int ONVIF_JPEG_EXTENSION = 0xFFD8;

    private final int payloadType;
    private final int maxFrameSize;
    private final int hintWidth;
    private final int hintHeight;

    /** Tables of the last Q=255 frame (read anew for every frame). */
    private final int[] dynamicTables = new int[TABLE_PAIR];
    /** Tables last received in-band for Q 128..254, index Q-128; null until received. */
    private final int[][] inBandTables = new int[127][];
    /** Tables computed for Q 0..127, filled on first use. */
    private final int[][] scaledTables = new int[128][];

    // the packet being parsed
    private int packetOffset;
    private int packetType;
    private int packetWidth;
    private int packetHeight;
    private int packetRestartInterval;
    private int[] packetTables;
    private int packetScanIndex;
    private String skipReason;
    private int skipValue;

    // the frame being assembled
    private boolean assembling;
    private long frameTimestamp;
    private int frameType;
    private int frameWidth;
    private int frameHeight;
    private int frameRestartInterval;
    private int[] frameTables;
    private int frameHeaderLength;
    private int expectedOffset;
    private byte[] assembly;
    private int scanLength;

    // a frame known to be broken, whose remaining packets are ignored
    private boolean discarding;
    private long discardTimestamp;

    private boolean discontinuity;
    private long framesDropped;
    private long packetsSkipped;

    private boolean warned;
    private long lastWarnNanos;
    private long warningsSuppressed;

    /**
     * Creates a depacketizer for one track.
     *
     * @param parameters the track's parameters; {@code maxFrameSize} bounds each rebuilt image (headers included),
     *                   an optional {@code x-dimensions=<width>,<height>} entry gives the size of images above 2040
     *                   pixels
     * @throws IllegalArgumentException if {@code maxFrameSize} is not positive
     */
    public JpegDepacketizer(FormatParameters parameters) {
        Objects.requireNonNull(parameters, "parameters");
        if (parameters.maxFrameSize() <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + parameters.maxFrameSize());
        }
        this.payloadType = parameters.payloadType();
        this.maxFrameSize = parameters.maxFrameSize();
        int[] dims = parseDimensions(parameters.fmtp());
        this.hintWidth = dims[0];
        this.hintHeight = dims[1];
    }

    @Override
    public void onPacket(RtpPacket packet, boolean lost, FrameSink sink) {
        long timestamp = packet.timestamp();
        boolean marker = packet.marker();
        if (lost) {
            discontinuity = true;
            if (assembling) {
                dropFrame();
                debugDrop("packets were lost");
            }
        }
        if (!parse(packet)) {
            packetsSkipped++;
            if (assembling) {
                dropFrame();
            }
            markBroken(timestamp);
            warn(skipReason, skipValue);
        } else if (packetOffset == 0) {
            if (assembling) {
                dropFrame();
                debugDrop("a new frame started before its last packet");
            }
            startFrame(timestamp);
        } else if (!assembling || frameTimestamp != timestamp) {
            if (assembling) {
                dropFrame();
                debugDrop("its last packet is missing");
            }
            markBroken(timestamp);
        } else if (packetOffset != expectedOffset) {
            dropFrame();
            if (LOG.isDebugEnabled()) {
                LOG.debug("RTP/JPEG: frame at {} dropped, fragment offset {} where {} was expected", frameTimestamp,
                        packetOffset, expectedOffset);
            }
        } else if (packetType != frameType) {
            packetsSkipped++;
            dropFrame();
            warn("type changed within a frame to", packetType);
        }
        if (assembling) {
            append(packet.buffer(), packetScanIndex, packet.payloadIndex() + packet.payloadLength() - packetScanIndex);
            if (assembling && marker) {
                emit(sink);
            }
        }
        if (marker) {
            discarding = false;
        }
    }

    @Override
    public void reset() {
        assembling = false;
        discarding = false;
        scanLength = 0;
        discontinuity = true;
    }

    @Override
    public long framesDropped() {
        return framesDropped;
    }

    @Override
    public long packetsSkipped() {
        return packetsSkipped;
    }

    /** Capacity of the assembly buffer in bytes (0 before the first frame); never above maxFrameSize. */
    int assemblyCapacity() {
        return assembly == null ? 0 : assembly.length;
    }

    /**
     * Reads the RFC 2435 headers of one payload into the packet fields. Returns false, with {@link #skipReason} set,
     * when the payload is too short, of an unsupported type or otherwise malformed.
     */
    private boolean parse(RtpPacket packet) {
        ByteBuf buf = packet.buffer();
        int index = packet.payloadIndex();
        int length = packet.payloadLength();
        if (length < MAIN_HEADER) {
            return fail("payload shorter than the 8-byte JPEG header, bytes:", length);
        }
        int end = index + length;
        int offset = buf.getUnsignedMedium(index + 1);
        int type = buf.getUnsignedByte(index + 4);
        int q = buf.getUnsignedByte(index + 5);
        int widthUnits = buf.getUnsignedByte(index + 6);
        int heightUnits = buf.getUnsignedByte(index + 7);
        if (type >= 128) {
            return fail("unsupported dynamically defined type", type);
        }
        if ((type & 63) > JpegHeaderWriter.TYPE_YUV420) {
            return fail("unsupported reserved type", type);
        }
        int pos = index + MAIN_HEADER;
        int restartInterval = 0;
        if (type >= 64) {
            if (end - pos < RESTART_HEADER) {
                return fail("restart marker header cut short, bytes:", end - pos);
            }
            restartInterval = buf.getUnsignedShort(pos);
            if (restartInterval == 0) {
                return fail("restart interval 0 with restart type", type);
            }
            pos += RESTART_HEADER;
        }
        int[] tables = null;
        if (offset == 0) {
            if (q >= 128) {
                if (end - pos < QUANT_HEADER) {
                    return fail("quantization table header cut short, bytes:", end - pos);
                }
                int precision = buf.getUnsignedByte(pos + 1);
                int tableLength = buf.getUnsignedShort(pos + 2);
                pos += QUANT_HEADER;
                if (tableLength > end - pos) {
                    return fail("quantization table length beyond the payload, length:", tableLength);
                }
                if (tableLength == 0) {
                    if (q == 255) {
                        return fail("quantization table length 0 with Q 255, which needs its tables in every frame",
                                NO_VALUE);
                    }
                    tables = inBandTables[q - 128];
                    if (tables == null) {
                        return fail("quantization table length 0 but no tables received yet for Q", q);
                    }
                } else {
                    tables = readTables(buf, pos, tableLength, precision, q);
                    if (tables == null) {
                        return false;
                    }
                }
                pos += tableLength;
            } else if (q == 0 && packet.extension() && packet.extensionProfile() == ONVIF_JPEG_EXTENSION) {
                return fail("Q 0 with an ONVIF JPEG header extension (tables of the previous frame, possibly"
                            + " overridden in the extension) is not supported", NO_VALUE);
            } else {
                tables = scaledTables[q];
                if (tables == null) {
                    tables = new int[TABLE_PAIR];
                    JpegTables.scaledTables(q, tables);
                    scaledTables[q] = tables;
                }
            }
            int width = widthUnits != 0 ? widthUnits * 8 : hintWidth;
            int height = heightUnits != 0 ? heightUnits * 8 : hintHeight;
            if (width == 0 || height == 0) {
                return fail("width or height 0 in the JPEG header (RFC 2435 cannot express more than 2040 pixels)"
                            + " and no x-dimensions were given", NO_VALUE);
            }
            packetWidth = width;
            packetHeight = height;
        }
        if ((long) offset + (end - pos) > MAX_OFFSET_END) {
            return fail("fragment ends beyond 2^24 bytes, offset:", offset);
        }
        packetOffset = offset;
        packetType = type;
        packetRestartInterval = restartInterval;
        packetTables = tables;
        packetScanIndex = pos;
        return true;
    }

    /**
     * Reads the two tables of a quantization table header: table 0 then table 1, each 64 coefficients of 8 bits, or
     * of 16 bits when its bit in {@code precision} is set. Returns null (reason set) if they do not fit or hold a 0.
     */
    private int[] readTables(ByteBuf buf, int pos, int length, int precision, int q) {
        int lumaBytes = (precision & 1) != 0 ? 2 * JpegTables.COEFFICIENTS : JpegTables.COEFFICIENTS;
        int chromaBytes = (precision & 2) != 0 ? 2 * JpegTables.COEFFICIENTS : JpegTables.COEFFICIENTS;
        if (length < lumaBytes + chromaBytes) {
            fail("quantization table data shorter than two tables, length:", length);
            return null;
        }
        // validate before writing: a bad header must not damage the tables kept for a later frame
        if (!nonZero(buf, pos, lumaBytes == JpegTables.COEFFICIENTS)
            || !nonZero(buf, pos + lumaBytes, chromaBytes == JpegTables.COEFFICIENTS)) {
            fail("quantization table with a 0 coefficient for Q", q);
            return null;
        }
        int[] target;
        if (q == 255) {
            target = dynamicTables;
        } else {
            target = inBandTables[q - 128];
            if (target == null) {
                target = new int[TABLE_PAIR];
                inBandTables[q - 128] = target;
            }
        }
        copyTable(buf, pos, lumaBytes == JpegTables.COEFFICIENTS, target, 0);
        copyTable(buf, pos + lumaBytes, chromaBytes == JpegTables.COEFFICIENTS, target, JpegTables.COEFFICIENTS);
        return target;
    }

    private static boolean nonZero(ByteBuf buf, int pos, boolean narrow) {
        for (int k = 0; k < JpegTables.COEFFICIENTS; k++) {
            int value = narrow ? buf.getUnsignedByte(pos + k) : buf.getUnsignedShort(pos + 2 * k);
            if (value == 0) {
                return false;
            }
        }
        return true;
    }

    private static void copyTable(ByteBuf buf, int pos, boolean narrow, int[] target, int from) {
        for (int k = 0; k < JpegTables.COEFFICIENTS; k++) {
            target[from + k] = narrow ? buf.getUnsignedByte(pos + k) : buf.getUnsignedShort(pos + 2 * k);
        }
    }

    private boolean fail(String reason, int value) {
        skipReason = reason;
        skipValue = value;
        return false;
    }

    private void startFrame(long timestamp) {
        assembling = true;
        discarding = false;
        frameTimestamp = timestamp;
        frameType = packetType;
        frameWidth = packetWidth;
        frameHeight = packetHeight;
        frameRestartInterval = packetRestartInterval;
        frameTables = packetTables;
        frameHeaderLength = JpegHeaderWriter.headerLength(frameTables, frameRestartInterval);
        expectedOffset = 0;
        scanLength = 0;
        if (frameHeaderLength > maxFrameSize) {
            dropOversized(frameHeaderLength);
        }
    }

    private void append(ByteBuf buf, int from, int length) {
        int needed = scanLength + length;
        if (frameHeaderLength + (long) needed > maxFrameSize) {
            dropOversized(frameHeaderLength + (long) needed);
            return;
        }
        byte[] target = assembly;
        if (target == null || target.length < needed) {
            int capacity = Math.max(needed, Math.min(maxFrameSize, INITIAL_CAPACITY));
            if (target != null) {
                capacity = (int) Math.max(capacity, Math.min((long) target.length * 2, maxFrameSize));
            }
            byte[] grown = new byte[capacity];
            if (target != null) {
                System.arraycopy(target, 0, grown, 0, scanLength);
            }
            assembly = grown;
            target = grown;
        }
        buf.getBytes(from, target, scanLength, length);
        scanLength = needed;
        expectedOffset += length;
    }

    private void emit(FrameSink sink) {
        assembling = false;
        if (scanLength == 0) {
            framesDropped++;
            discontinuity = true;
            warn("frame without scan data", NO_VALUE);
            return;
        }
        boolean hasEoi = scanLength >= 2 && assembly[scanLength - 2] == (byte) 0xFF
                         && assembly[scanLength - 1] == (byte) 0xD9;
        int total = frameHeaderLength + scanLength + (hasEoi ? 0 : 2);
        if (total > maxFrameSize) {
            dropOversized(total);
            return;
        }
        byte[] image = new byte[total];
        int header = JpegHeaderWriter.write(image, frameType & 63, frameWidth, frameHeight, frameTables,
                frameRestartInterval);
        System.arraycopy(assembly, 0, image, header, scanLength);
        if (!hasEoi) {
            image[total - 2] = (byte) 0xFF;
            image[total - 1] = (byte) 0xD9;
        }
        boolean gap = discontinuity;
        discontinuity = false;
        scanLength = 0;
        sink.onFrame(new MediaFrame(frameTimestamp, image, true, gap, 0));
    }

    /** Drops the frame being assembled; its remaining packets are ignored. */
    private void dropFrame() {
        framesDropped++;
        discontinuity = true;
        assembling = false;
        scanLength = 0;
        discarding = true;
        discardTimestamp = frameTimestamp;
    }

    private void dropOversized(long size) {
        dropFrame();
        warn("image larger than maxFrameSize, bytes at least:", (int) Math.min(size, Integer.MAX_VALUE));
    }

    /** A packet of the frame at {@code timestamp} cannot be used: the frame is counted as dropped once. */
    private void markBroken(long timestamp) {
        if (!discarding || discardTimestamp != timestamp) {
            framesDropped++;
            discontinuity = true;
        }
        discarding = true;
        discardTimestamp = timestamp;
    }

    private void debugDrop(String why) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("RTP/JPEG: frame at {} dropped, {}", frameTimestamp, why);
        }
    }

    private void warn(String reason, int value) {
        long now = System.nanoTime();
        if (warned && now - lastWarnNanos < WARN_INTERVAL_NANOS) {
            warningsSuppressed++;
            return;
        }
        LOG.warn("RTP/JPEG payload type {}: {}{}; so far {} packets skipped, {} frames dropped (maxFrameSize {},"
                 + " {} similar warnings suppressed since the last one)", payloadType, reason,
                value == NO_VALUE ? "" : " " + value, packetsSkipped, framesDropped, maxFrameSize,
                warningsSuppressed);
        warned = true;
        lastWarnNanos = now;
        warningsSuppressed = 0;
    }

    /** Reads {@code x-dimensions=<width>,<height>}; returns {0, 0} when absent or invalid. */
    private static int[] parseDimensions(Map<String, String> fmtp) {
        if (fmtp == null) {
            return new int[2];
        }
        for (Map.Entry<String, String> e : fmtp.entrySet()) {
            if (X_DIMENSIONS.equalsIgnoreCase(e.getKey().trim())) {
                String value = e.getValue() == null ? "" : e.getValue().trim();
                int comma = value.indexOf(',');
                try {
                    if (comma > 0) {
                        int w = Integer.parseInt(value.substring(0, comma).trim());
                        int h = Integer.parseInt(value.substring(comma + 1).trim());
                        if (w > 0 && w <= 65535 && h > 0 && h <= 65535) {
                            return new int[] {w, h};
                        }
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                LOG.warn("RTP/JPEG: ignoring {}='{}', expected <width>,<height> within 1..65535", X_DIMENSIONS,
                        value);
                return new int[2];
            }
        }
        return new int[2];
    }
}
