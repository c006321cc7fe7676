package io.mcksim.ikc;

import java.util.List;

/**
 * One IKC channel of an OS instance.
 *
 * @param id         its index within the instance's topology
 * @param name       {@code master}, {@code ikc2mckernel/<mck cpu>} or {@code ikc2linux/<linux cpu>}
 * @param kind       which way it carries packets
 * @param capacity   ring slots, in packets
 * @param writers    the CPUs that write into it: Linux CPUs for the master channel and
 *                   ikc2mckernel (any Linux CPU may), McKernel CPUs (by McKernel index) for ikc2linux
 * @param readerCpu  the CPU that reads it and takes its interrupts: a McKernel CPU index for
 *                   ikc2mckernel (and McKernel CPU 0 for the master channel), a Linux CPU for ikc2linux
 */
public record ChannelSpec(int id, String name, Kind kind, int capacity, List<Integer> writers,
    int readerCpu) {

  /** Channel kinds: the master channel and the two regular ports. */
  public enum Kind {
    /** One per instance, one page; set-up traffic, read by McKernel CPU 0. */
    MASTER,
    /** Port 501, one per McKernel CPU; Linux to McKernel. */
    IKC2MCKERNEL,
    /** Port 503, one per Linux target CPU of the IKC map; McKernel to Linux. */
    IKC2LINUX
  }

  public ChannelSpec {
    writers = List.copyOf(writers);
  }
}
