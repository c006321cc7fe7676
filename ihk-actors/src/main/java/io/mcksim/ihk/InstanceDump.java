package io.mcksim.ihk;

import java.util.List;

/**
 * What {@code ihkosctl OS dump} writes: a snapshot of one OS instance's model state, as a Kryo record
 * (see {@link DumpFile}).
 *
 * @param level      the dump level asked for ({@code -d}): 0 all of the instance's memory, 24 only
 *                   what the kernel uses; recorded, the model holds no page contents either way
 * @param timeNs     virtual time of the dump
 * @param memory     bytes per NUMA node
 */
public record InstanceDump(int node, int os, int level, long timeNs, String status, List<Integer> cpus,
    List<Long> memory, String image, String kargs, String ikcMap, List<String> kmsg)
    implements IhkMessage {}
