package io.mcksim.mckernel;

/**
 * Where a lightweight kernel's CPU sends a system call, by the OS design it runs: McKernel's own table
 * (handled here, or offloaded through IKC, mcctrl and the process's proxy), or another design's path. The
 * designs other than McKernel differ only here (see the reference configuration, {@code os.models}).
 */
public sealed interface CallRoute {

  /**
   * Handled by the kernel of this CPU, at its local cost ({@code costs.syscall.local}); then, if its
   * handler also asks Linux, the requests {@code toLinux} go there one after another, each a round trip
   * through McKernel's offload path (IKC, mcctrl, the proxy) like an offloaded call's.
   */
  record Local(java.util.List<io.mcksim.workloads.Op.Syscall> toLinux) implements CallRoute {
    /** Handled here alone. */
    public Local() {
      this(java.util.List.of());
    }
  }

  /** McKernel's offload: marshalled into the IKC ring, served by the proxy on Linux. */
  record Offloaded() implements CallRoute {}

  /**
   * Run on a Linux CPU of the node, first come first served there, without a proxy: mOS migrates the
   * thread there and back; Hobbes's Kitten sends a remote call over a shared buffer.
   *
   * @param how     what the design calls it ("migrated", "remote")
   * @param outNs   on this CPU before the call reaches Linux
   * @param linuxNs on the Linux CPU
   * @param backNs  on this CPU once Linux is done
   */
  record Forwarded(String how, long outNs, long linuxNs, long backNs) implements CallRoute {
    public Forwarded {
      if (outNs < 0 || linuxNs < 2 || backNs < 0) {
        throw new IllegalArgumentException(how + ": a forwarded call needs out, back >= 0 and at least 2 ns"
            + " on Linux, got " + outNs + ", " + linuxNs + ", " + backNs);
      }
    }
  }

  /** The kernel does not have the call: it fails (ENOSYS) after {@code ns} on this CPU. */
  record Failed(long ns) implements CallRoute {}

}
