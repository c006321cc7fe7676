package io.mcksim.ikc;

import io.mcksim.config.CpuList;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The IKC channels of one OS instance: one master channel; one Linux-to-McKernel channel per McKernel
 * CPU; one McKernel-to-Linux channel per distinct Linux CPU of the IKC map, shared by the McKernel CPUs
 * mapped to it (by default all map to Linux CPU 0). Ring sizes follow McKernel: the master channel is
 * one page, ikc2mckernel four pages, ikc2linux {@code max(4 x McKernel CPUs x packet, 4 pages)}.
 */
public final class IkcTopology {

  private static final int PAGE = 4096;

  private final List<ChannelSpec> channels;
  /** Per McKernel CPU index: its ikc2mckernel channel and its ikc2linux channel. */
  private final int[] toMckernel;
  private final int[] toLinux;

  private IkcTopology(List<ChannelSpec> channels, int[] toMckernel, int[] toLinux) {
    this.channels = List.copyOf(channels);
    this.toMckernel = toMckernel;
    this.toLinux = toLinux;
  }

  /**
   * @param mckCpus physical CPUs of the instance, in McKernel order (McKernel CPU i is mckCpus[i])
   * @param ikcMap  {@code ihkosctl set ikc_map} syntax ({@code 4-35:0+36-67:1}), or empty for all to
   *                Linux CPU 0
   */
  public static IkcTopology of(List<Integer> mckCpus, String ikcMap) {
    int n = mckCpus.size();
    if (n == 0) {
      throw new IllegalArgumentException("an OS instance needs at least one CPU for its IKC channels");
    }
    int[] target = linuxTargets(mckCpus, ikcMap);
    List<ChannelSpec> channels = new ArrayList<>();
    channels.add(new ChannelSpec(0, "master", ChannelSpec.Kind.MASTER, PAGE / IkcPacket.SIZE,
        List.of(), 0));
    int[] toMck = new int[n];
    for (int i = 0; i < n; i++) {
      toMck[i] = channels.size();
      channels.add(new ChannelSpec(channels.size(), "ikc2mckernel/" + i, ChannelSpec.Kind.IKC2MCKERNEL,
          4 * PAGE / IkcPacket.SIZE, List.of(), i));
    }
    TreeMap<Integer, List<Integer>> byLinuxCpu = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      byLinuxCpu.computeIfAbsent(target[i], k -> new ArrayList<>()).add(i);
    }
    int capacity = Math.max(4 * n * IkcPacket.SIZE, 4 * PAGE) / IkcPacket.SIZE;
    int[] toLinux = new int[n];
    for (var e : byLinuxCpu.entrySet()) {
      int id = channels.size();
      channels.add(new ChannelSpec(id, "ikc2linux/" + e.getKey(), ChannelSpec.Kind.IKC2LINUX, capacity,
          e.getValue(), e.getKey()));
      for (int i : e.getValue()) {
        toLinux[i] = id;
      }
    }
    return new IkcTopology(channels, toMck, toLinux);
  }

  private static int[] linuxTargets(List<Integer> mckCpus, String ikcMap) {
    int[] target = new int[mckCpus.size()];
    if (ikcMap == null || ikcMap.isBlank()) {
      return target;
    }
    java.util.Arrays.fill(target, -1);
    for (String part : ikcMap.split("\\+")) {
      int colon = part.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("IKC map '" + ikcMap + "': '" + part
            + "' is not mckernel-cpus:linux-cpu");
      }
      CpuList lwk = CpuList.parse(part.substring(0, colon));
      int linux = Integer.parseInt(part.substring(colon + 1).trim());
      for (int i = 0; i < lwk.size(); i++) {
        int index = mckCpus.indexOf(lwk.get(i));
        if (index < 0) {
          throw new IllegalArgumentException("IKC map '" + ikcMap + "': CPU " + lwk.get(i)
              + " is not one of the instance's CPUs");
        }
        target[index] = linux;
      }
    }
    for (int i = 0; i < target.length; i++) {
      if (target[i] < 0) {
        throw new IllegalArgumentException("IKC map '" + ikcMap + "' gives CPU " + mckCpus.get(i)
            + " no Linux CPU");
      }
    }
    return target;
  }

  public List<ChannelSpec> channels() {
    return channels;
  }

  public ChannelSpec master() {
    return channels.get(0);
  }

  /** The Linux-to-McKernel channel read by McKernel CPU {@code index}. */
  public ChannelSpec toMckernel(int index) {
    return channels.get(toMckernel[index]);
  }

  /** The McKernel-to-Linux channel McKernel CPU {@code index} writes into. */
  public ChannelSpec toLinux(int index) {
    return channels.get(toLinux[index]);
  }
}
