package io.github.camelrtsp.client;

import java.util.Map;

import io.github.camelrtsp.rtp.RtpReceiverStatistics;

/** One media section of the SDP that the client set up and plays. */
public final class MediaTrack {

    private final int index;
    private final String mediaType;
    private final String codec;
    private final int payloadType;
    private final int clockRate;
    private final Integer channels;
    private final Map<String, String> formatParameters;
    private final String controlUrl;
    private final RtpReceiverStatistics statistics;

    public MediaTrack(int index, String mediaType, String codec, int payloadType, int clockRate, Integer channels,
                      Map<String, String> formatParameters, String controlUrl, RtpReceiverStatistics statistics) {
        this.index = index;
        this.mediaType = mediaType;
        this.codec = codec;
        this.payloadType = payloadType;
        this.clockRate = clockRate;
        this.channels = channels;
        this.formatParameters = formatParameters; // the SDP parser gives an unmodifiable, ordered, case-insensitive map
        this.controlUrl = controlUrl;
        this.statistics = statistics;
    }

    /** 0-based index of the media section in the SDP. */
    public int index() {
        return index;
    }

    /** {@code video}, {@code audio} or {@code application}. */
    public String mediaType() {
        return mediaType;
    }

    /** Encoding name from rtpmap (or the static payload type), upper case: H264, PCMU, MPEG4-GENERIC, ... */
    public String codec() {
        return codec;
    }

    public int payloadType() {
        return payloadType;
    }

    /** RTP clock rate in Hz. */
    public int clockRate() {
        return clockRate;
    }

    /** Audio channels from rtpmap, or null. */
    public Integer channels() {
        return channels;
    }

    /** Parameters of the fmtp attribute for the payload type (keys as written). */
    public Map<String, String> formatParameters() {
        return formatParameters;
    }

    /** Absolute control URL used for SETUP (may carry credentials-free camera query). */
    public String controlUrl() {
        return controlUrl;
    }

    /** Receiver statistics (RFC 3550) of this track; reset on each new session. */
    public RtpReceiverStatistics statistics() {
        return statistics;
    }

    @Override
    public String toString() {
        return "track " + index + " (" + mediaType + " " + codec + "/" + clockRate + ")";
    }
}
