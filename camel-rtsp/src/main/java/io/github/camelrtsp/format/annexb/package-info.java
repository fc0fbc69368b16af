/**
 * Shared core of the H.264 and H.265 payload formats: {@link io.github.camelrtsp.format.annexb.AnnexBDepacketizer}
 * rebuilds access units from NAL units and writes them as Annex B byte streams with parameter sets in front of every
 * key frame; {@link io.github.camelrtsp.format.annexb.NalUnitKind} is what each codec's NAL unit types mean to it;
 * {@link io.github.camelrtsp.format.annexb.AnnexBPacketizer} sends Annex B access units as single NAL unit,
 * aggregation and fragmentation packets; {@link io.github.camelrtsp.format.annexb.AnnexBNalUnits} finds the NAL units
 * of an Annex B byte stream in place.
 */
package io.github.camelrtsp.format.annexb;
