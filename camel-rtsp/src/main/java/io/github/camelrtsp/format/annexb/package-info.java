/**
 * Shared core of the H.264 and H.265 depacketizers: {@link io.github.camelrtsp.format.annexb.AnnexBDepacketizer}
 * rebuilds access units from NAL units and writes them as Annex B byte streams with parameter sets in front of every
 * key frame; {@link io.github.camelrtsp.format.annexb.NalUnitKind} is what each codec's NAL unit types mean to it.
 */
package io.github.camelrtsp.format.annexb;
