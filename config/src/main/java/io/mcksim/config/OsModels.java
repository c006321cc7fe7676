package io.mcksim.config;

import java.util.List;

/**
 * The {@code os.models} section: the parameters of the HPC OS designs mcksim compares McKernel with.
 *
 * @param mos     mOS: a lightweight kernel inside a patched Linux
 * @param hobbes  Hobbes: the Kitten co-kernel beside unmodified Linux, through Pisces
 * @param argo    Argo NodeOS: containers on one Linux kernel
 * @param l4linux L4Linux: Linux deprivileged as a server on a microkernel
 */
public record OsModels(Mos mos, Hobbes hobbes, Argo argo, L4linux l4linux) {

  /**
   * @param migrateNs one migration of the calling thread between its LWK CPU and its Linux syscall CPU
   * @param local     calls the LWK handles on the LWK CPU
   */
  public record Mos(long migrateNs, List<String> local) {
    public Mos {
      local = List.copyOf(local);
    }
  }

  /**
   * @param remoteCallNs writing a remote call into the shared buffer and raising the IPI to Linux
   * @param remote       the calls that reach Linux as remote calls
   * @param local        the calls Kitten handles itself
   * @param enosysNs     a call Kitten does not have, failing with ENOSYS
   */
  public record Hobbes(long remoteCallNs, List<String> remote, List<String> local, long enosysNs) {
    public Hobbes {
      remote = List.copyOf(remote);
      local = List.copyOf(local);
    }
  }

  /** @param noise the noise profile of the containers' CPUs: cpusets lower the noise, not remove it */
  public record Argo(String noise) {}

  /**
   * @param ipcNs one IPC between the application and the L4Linux server, trap included
   * @param noise the noise profile of the application's CPUs
   */
  public record L4linux(long ipcNs, String noise) {}
}
