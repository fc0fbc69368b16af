package io.github.camelrtsp.format.mjpeg;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Test JPEG images: encodes baseline images with the JDK's encoder (standard Huffman tables, IJG quality scaling) in
 * the shapes RFC 2435 carries, and takes JPEG files apart into their marker segments and scan data.
 */
final class TestJpeg {

    private static final String NATIVE_FORMAT = "javax_imageio_jpeg_image_1.0";

    private TestJpeg() {
    }

    /** One marker segment: marker byte (the one after 0xFF), position of the marker and its payload (no length). */
    record Segment(int marker, int position, byte[] payload) {
    }

    /** A parsed JPEG file: its segments up to SOS and the entropy-coded data after SOS up to (excluding) EOI. */
    record Parsed(List<Segment> segments, byte[] scan, boolean endsWithEoi) {

        /** The first segment with this marker, or null. */
        Segment first(int marker) {
            return segments.stream().filter(s -> s.marker() == marker).findFirst().orElse(null);
        }

        /** How many segments have this marker. */
        long count(int marker) {
            return segments.stream().filter(s -> s.marker() == marker).count();
        }

        /** Width from SOF0. */
        int width() {
            byte[] sof = first(0xC0).payload();
            return (sof[3] & 0xFF) << 8 | sof[4] & 0xFF;
        }

        /** Height from SOF0. */
        int height() {
            byte[] sof = first(0xC0).payload();
            return (sof[1] & 0xFF) << 8 | sof[2] & 0xFF;
        }

        /** Luminance sampling factors byte (H << 4 | V) of component 1. */
        int lumaSampling() {
            return first(0xC0).payload()[7] & 0xFF;
        }

        /**
         * The quantization tables 0 and 1 in zig-zag order as 128 values, from however many DQT segments hold them.
         */
        int[] tables() {
            int[] out = new int[128];
            for (Segment s : segments) {
                if (s.marker() != 0xDB) {
                    continue;
                }
                byte[] p = s.payload();
                int i = 0;
                while (i < p.length) {
                    int pq = (p[i] & 0xF0) >> 4;
                    int tq = p[i] & 0x0F;
                    i++;
                    for (int k = 0; k < 64; k++) {
                        int v = pq == 0 ? p[i + k] & 0xFF : (p[i + 2 * k] & 0xFF) << 8 | p[i + 2 * k + 1] & 0xFF;
                        if (tq < 2) {
                            out[tq * 64 + k] = v;
                        }
                    }
                    i += pq == 0 ? 64 : 128;
                }
            }
            return out;
        }
    }

    /** A colourful gradient with deterministic noise, so that even small pictures give a long scan. */
    static BufferedImage picture(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int hash = (x * 73856093) ^ (y * 19349663);
                hash ^= hash >>> 13;
                int r = ((x * 255 / Math.max(1, width - 1)) ^ (hash & 0x3F)) & 0xFF;
                int g = ((y * 255 / Math.max(1, height - 1)) ^ ((hash >>> 8) & 0x3F)) & 0xFF;
                int b = (hash >>> 16) & 0xFF;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    /**
     * Encodes a baseline JPEG with the JDK encoder.
     *
     * @param quality         IJG quality 1..100 (the same scale as RFC 2435 Q 1..99)
     * @param yuv420          luminance 2x2 (4:2:0) when true, 2x1 (4:2:2) when false
     * @param restartInterval MCUs per restart interval, 0 for none
     */
    static byte[] encode(int width, int height, int quality, boolean yuv420, int restartInterval) {
        BufferedImage img = picture(width, height);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(img), param);
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(NATIVE_FORMAT);
            IIOMetadataNode luma = (IIOMetadataNode) root.getElementsByTagName("componentSpec").item(0);
            luma.setAttribute("HsamplingFactor", "2");
            luma.setAttribute("VsamplingFactor", yuv420 ? "2" : "1");
            if (restartInterval > 0) {
                IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", Integer.toString(restartInterval));
                markers.insertBefore(dri, markers.getElementsByTagName("sof").item(0));
            }
            metadata.setFromTree(NATIVE_FORMAT, root);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(img, null, metadata), param);
            }
            return bytes.toByteArray();
        } catch (IIOInvalidTreeException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** Splits a JPEG file into segments and scan data. */
    static Parsed parse(byte[] jpeg) {
        if ((jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IllegalArgumentException("no SOI");
        }
        List<Segment> segments = new ArrayList<>();
        int p = 2;
        while (true) {
            while ((jpeg[p] & 0xFF) == 0xFF && (jpeg[p + 1] & 0xFF) == 0xFF) {
                p++;
            }
            if ((jpeg[p] & 0xFF) != 0xFF) {
                throw new IllegalArgumentException("no marker at " + p);
            }
            int marker = jpeg[p + 1] & 0xFF;
            int length = (jpeg[p + 2] & 0xFF) << 8 | jpeg[p + 3] & 0xFF;
            segments.add(new Segment(marker, p, Arrays.copyOfRange(jpeg, p + 4, p + 2 + length)));
            p += 2 + length;
            if (marker == 0xDA) {
                break;
            }
        }
        boolean eoi = jpeg.length >= 2 && (jpeg[jpeg.length - 2] & 0xFF) == 0xFF
                      && (jpeg[jpeg.length - 1] & 0xFF) == 0xD9;
        return new Parsed(segments, Arrays.copyOfRange(jpeg, p, eoi ? jpeg.length - 2 : jpeg.length), eoi);
    }

    /** Decodes with the JDK decoder; fails if it cannot. */
    static BufferedImage decode(byte[] jpeg) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (img == null) {
                throw new IllegalStateException("ImageIO found no reader for the image");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The RGB pixels of an image, row by row. */
    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
