package io.mcksim.ihk;

import io.mcksim.config.CpuList;
import io.mcksim.config.MachineSettings;
import io.mcksim.config.MemorySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What IHK's Linux-side driver knows about one node: which CPUs and bytes Linux owns, which it has
 * reserved, which it has assigned to which OS instance, and each instance's status, image, kernel
 * arguments, IKC map and kmsg. Every verb of {@code ihkconfig} and {@code ihkosctl} is a method here.
 *
 * <p>A verb either succeeds whole or throws an {@link IhkException} with the tool's error number and
 * changes nothing: every check runs before the first change. After any verb, {@link #check()} holds:
 * every CPU and every byte is exactly one of Linux-owned, reserved, or assigned to one instance.
 *
 * <p>This class is plain state and logic; {@link IhkMaster} hosts it as a simulated entity and drives
 * the parts that take virtual time (boot, shutdown) through the instance's own actors.
 */
public final class IhkNode {

  private static final int LINUX = -2;
  private static final int RESERVED = -1;

  private final MachineSettings machine;
  private final int[] cpuOwner;
  private final long[] linuxFree;
  private final long[] pool;
  private final Instance[] instances;

  /** One OS instance, as the driver sees it. */
  public static final class Instance {
    final int id;
    OsStatus status = OsStatus.NOT_BOOTED;
    /** Assigned CPUs in McKernel's numbering order (the order they were assigned in). */
    final List<Integer> cpus = new ArrayList<>();
    final long[] memory;
    String image;
    String kargs;
    String ikcMap = "";
    int holders;
    final List<String> kmsg = new ArrayList<>();

    Instance(int id, int numaNodes) {
      this.id = id;
      this.memory = new long[numaNodes];
    }

    public int id() {
      return id;
    }

    public OsStatus status() {
      return status;
    }

    public List<Integer> cpus() {
      return List.copyOf(cpus);
    }

    public long memoryOn(int numa) {
      return memory[numa];
    }

    public String kargs() {
      return kargs;
    }

    public String image() {
      return image;
    }

    public List<String> kmsg() {
      return List.copyOf(kmsg);
    }
  }

  /** Status steps taken so far. */
  private long steps;

  /** A status step IHK's driver cannot take ({@link OsStatus#canStepTo}): a bug of whoever asked for it. */
  public static final class IllegalStep extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    IllegalStep(String message) {
      super(message);
    }
  }

  public IhkNode(MachineSettings machine, int maxInstances) {
    this.machine = machine;
    this.cpuOwner = new int[machine.cpus()];
    java.util.Arrays.fill(cpuOwner, LINUX);
    int n = machine.numa().size();
    this.linuxFree = new long[n];
    this.pool = new long[n];
    for (MachineSettings.Numa numa : machine.numa()) {
      linuxFree[numa.id()] = numa.free();
    }
    this.instances = new Instance[maxInstances];
  }

  public MachineSettings machine() {
    return machine;
  }

  public int maxInstances() {
    return instances.length;
  }

  // ---------------------------------------------------------------- ihkconfig: reservation

  /** {@code ihkconfig N reserve cpu LIST}: offline the CPUs from Linux and keep them for IHK. */
  public void reserveCpu(CpuList cpus) {
    requireNonEmpty(cpus);
    requireExist(cpus);
    if (cpus.contains(0)) {
      throw new IhkException(Errno.EINVAL, "reserve cpu: CPU 0 cannot be taken from Linux; choose from"
          + " 1-" + (machine.cpus() - 1));
    }
    for (int i = 0; i < cpus.size(); i++) {
      int c = cpus.get(i);
      if (cpuOwner[c] != LINUX) {
        throw new IhkException(Errno.EBUSY, "reserve cpu: CPU " + c + " is already " + ownerText(c));
      }
    }
    for (int i = 0; i < cpus.size(); i++) {
      cpuOwner[cpus.get(i)] = RESERVED;
    }
  }

  /** {@code ihkconfig N release cpu LIST}: give reserved, unassigned CPUs back to Linux. */
  public void releaseCpu(CpuList cpus) {
    requireNonEmpty(cpus);
    requireExist(cpus);
    for (int i = 0; i < cpus.size(); i++) {
      int c = cpus.get(i);
      if (cpuOwner[c] == LINUX) {
        throw new IhkException(Errno.EINVAL, "release cpu: CPU " + c + " is not reserved");
      }
      if (cpuOwner[c] >= 0) {
        throw new IhkException(Errno.EBUSY, "release cpu: CPU " + c + " is assigned to OS "
            + cpuOwner[c] + "; release it from the OS first (ihkosctl " + cpuOwner[c] + " release cpu "
            + c + ")");
      }
    }
    for (int i = 0; i < cpus.size(); i++) {
      cpuOwner[cpus.get(i)] = LINUX;
    }
  }

  /** {@code ihkconfig N reserve mem SPEC}: take memory from Linux, in 4 MiB units. */
  public void reserveMem(MemorySpec spec) {
    long[] want = new long[pool.length];
    if (spec.all()) {
      for (MachineSettings.Numa n : machine.numa()) {
        if (spec.allNuma() < 0 || spec.allNuma() == n.id()) {
          want[n.id()] = reservable(n.id()) - reserved(n.id());
        }
      }
      requireNumaExists(spec.allNuma(), "reserve mem");
    } else {
      for (MemorySpec.Chunk c : spec.chunks()) {
        requireNumaExists(c.numa(), "reserve mem");
        want[c.numa()] += c.bytes();
      }
    }
    for (int n = 0; n < want.length; n++) {
      if (reserved(n) + want[n] > reservable(n)) {
        throw new IhkException(Errno.ENOMEM, "reserve mem: cannot reserve " + MemorySpec.format(want[n])
            + " on NUMA node " + n + ": at most " + MemorySpec.format(reservable(n)) + " can be"
            + " reserved there" + (n == 0 ? " (95% of what Linux has free)" : "") + " and "
            + MemorySpec.format(reserved(n)) + " already is");
      }
    }
    for (int n = 0; n < want.length; n++) {
      linuxFree[n] -= want[n];
      pool[n] += want[n];
    }
  }

  /** {@code ihkconfig N release mem SPEC|all}: give reserved, unassigned memory back to Linux. */
  public void releaseMem(MemorySpec spec) {
    long[] give = new long[pool.length];
    if (spec.all()) {
      requireNumaExists(spec.allNuma(), "release mem");
      for (int n = 0; n < pool.length; n++) {
        if (spec.allNuma() < 0 || spec.allNuma() == n) {
          give[n] = pool[n];
        }
      }
    } else {
      for (MemorySpec.Chunk c : spec.chunks()) {
        requireNumaExists(c.numa(), "release mem");
        give[c.numa()] += c.bytes();
      }
      for (int n = 0; n < give.length; n++) {
        if (give[n] > pool[n]) {
          throw new IhkException(pool[n] + assignedOn(n) >= give[n] ? Errno.EBUSY : Errno.EINVAL,
              "release mem: " + MemorySpec.format(give[n]) + " on NUMA node " + n + " is more than the "
              + MemorySpec.format(pool[n]) + " reserved and not assigned to an OS there");
        }
      }
    }
    for (int n = 0; n < give.length; n++) {
      pool[n] -= give[n];
      linuxFree[n] += give[n];
    }
  }

  /** {@code ihkconfig N query cpu}: the reserved CPUs, assigned or not. */
  public String queryCpu() {
    List<Integer> r = new ArrayList<>();
    for (int c = 0; c < cpuOwner.length; c++) {
      if (cpuOwner[c] != LINUX) {
        r.add(c);
      }
    }
    return CpuList.of(r.stream().mapToInt(Integer::intValue).toArray()).toString();
  }

  /** {@code ihkconfig N query mem}: the reserved memory per NUMA node, assigned or not. */
  public String queryMem() {
    StringBuilder sb = new StringBuilder();
    for (int n = 0; n < pool.length; n++) {
      long r = reserved(n);
      if (r > 0) {
        sb.append(sb.length() > 0 ? "," : "").append(MemorySpec.format(r)).append('@').append(n);
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- ihkconfig: instances

  /** {@code ihkconfig N create}: a new OS instance in the lowest free slot; returns its number. */
  public int create() {
    for (int i = 0; i < instances.length; i++) {
      if (instances[i] == null) {
        instances[i] = new Instance(i, pool.length);
        return i;
      }
    }
    throw new IhkException(Errno.ENOSPC, "create: all " + instances.length + " OS instance slots are in"
        + " use (os.max-instances); destroy one first");
  }

  /**
   * {@code ihkconfig N destroy OS}: refused while a process holds the instance; a booted instance is
   * shut down at once (its resources go back to the reserved pool) before it is removed.
   */
  public void destroy(int os) {
    Instance inst = instance(os, "destroy");
    if (inst.holders > 0) {
      throw new IhkException(Errno.EBUSY, "destroy: OS " + os + " is held by " + inst.holders
          + " process" + (inst.holders == 1 ? "" : "es") + " (/dev/mcos" + os + " is open)");
    }
    returnResources(inst);
    instances[os] = null;
  }

  /** {@code ihkconfig N get os_instances}: the existing instances' numbers. */
  public List<Integer> osInstances() {
    List<Integer> r = new ArrayList<>();
    for (Instance i : instances) {
      if (i != null) {
        r.add(i.id);
      }
    }
    return r;
  }

  // ---------------------------------------------------------------- ihkosctl: resources

  /** {@code ihkosctl OS assign cpu LIST}: McKernel numbers the CPUs in the order given. */
  public void assignCpu(int os, CpuList cpus, List<Integer> order) {
    Instance inst = notBooted(os, "assign cpu");
    requireNonEmpty(cpus);
    requireExist(cpus);
    if (order.size() != cpus.size() || !CpuList.of(order.stream().mapToInt(Integer::intValue).toArray())
        .equals(cpus)) {
      throw new IhkException(Errno.EINVAL, "assign cpu: the order " + order + " must list each CPU of "
          + cpus + " exactly once");
    }
    for (int c : order) {
      if (cpuOwner[c] == LINUX) {
        throw new IhkException(Errno.EINVAL, "assign cpu: CPU " + c + " is not reserved (ihkconfig 0"
            + " reserve cpu " + c + ")");
      }
      if (cpuOwner[c] >= 0) {
        throw new IhkException(Errno.EBUSY, "assign cpu: CPU " + c + " is already assigned to OS "
            + cpuOwner[c]);
      }
    }
    for (int c : order) {
      cpuOwner[c] = os;
      inst.cpus.add(c);
    }
  }

  /** {@code ihkosctl OS release cpu LIST}: back to the reserved pool. */
  public void releaseOsCpu(int os, CpuList cpus) {
    Instance inst = notBooted(os, "release cpu");
    requireNonEmpty(cpus);
    for (int i = 0; i < cpus.size(); i++) {
      int c = cpus.get(i);
      if (!inst.cpus.contains(c)) {
        throw new IhkException(Errno.EINVAL, "release cpu: CPU " + c + " is not assigned to OS " + os
            + " (it has " + cpuText(inst) + ")");
      }
    }
    for (int i = 0; i < cpus.size(); i++) {
      int c = cpus.get(i);
      cpuOwner[c] = RESERVED;
      inst.cpus.remove(Integer.valueOf(c));
    }
  }

  /** {@code ihkosctl OS assign mem SPEC|all}: from the reserved pool. */
  public void assignMem(int os, MemorySpec spec) {
    Instance inst = notBooted(os, "assign mem");
    long[] want = amounts(spec, pool, "assign mem");
    for (int n = 0; n < want.length; n++) {
      if (want[n] > pool[n]) {
        throw new IhkException(Errno.ENOMEM, "assign mem: " + MemorySpec.format(want[n]) + " on NUMA node "
            + n + " is more than the " + MemorySpec.format(pool[n]) + " reserved and unassigned there"
            + " (ihkconfig 0 reserve mem first)");
      }
    }
    for (int n = 0; n < want.length; n++) {
      pool[n] -= want[n];
      inst.memory[n] += want[n];
    }
  }

  /** {@code ihkosctl OS release mem SPEC|all}: back to the reserved pool. */
  public void releaseOsMem(int os, MemorySpec spec) {
    Instance inst = notBooted(os, "release mem");
    long[] give = amounts(spec, inst.memory, "release mem");
    for (int n = 0; n < give.length; n++) {
      if (give[n] > inst.memory[n]) {
        throw new IhkException(Errno.EINVAL, "release mem: OS " + os + " has only "
            + MemorySpec.format(inst.memory[n]) + " on NUMA node " + n);
      }
    }
    for (int n = 0; n < give.length; n++) {
      inst.memory[n] -= give[n];
      pool[n] += give[n];
    }
  }

  /** {@code ihkosctl OS query cpu}. */
  public String queryOsCpu(int os) {
    return cpuText(instance(os, "query cpu"));
  }

  /** {@code ihkosctl OS query mem}. */
  public String queryOsMem(int os) {
    Instance inst = instance(os, "query mem");
    StringBuilder sb = new StringBuilder();
    for (int n = 0; n < inst.memory.length; n++) {
      if (inst.memory[n] > 0) {
        sb.append(sb.length() > 0 ? "," : "").append(MemorySpec.format(inst.memory[n])).append('@')
            .append(n);
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- ihkosctl: image and boot

  public void load(int os, String image) {
    Instance inst = notBooted(os, "load");
    if (image == null || image.isBlank()) {
      throw new IhkException(Errno.EINVAL, "load: no image file given (ihkosctl " + os
          + " load mckernel.img)");
    }
    inst.image = image;
  }

  public void kargs(int os, String kargs) {
    Instance inst = notBooted(os, "kargs");
    if (kargs == null || !List.of(kargs.trim().split("\\s+")).contains("hidos")) {
      throw new IhkException(Errno.EINVAL, "kargs: the kernel arguments must contain hidos (IKC is off"
          + " without it), got \"" + kargs + "\"");
    }
    inst.kargs = kargs.trim();
  }

  public void setIkcMap(int os, String map) {
    Instance inst = notBooted(os, "set ikc_map");
    if (map == null || map.isBlank()) {
      throw new IhkException(Errno.EINVAL, "set ikc_map: no map given (e.g. 4-35:0+36-67:1)");
    }
    List<Integer> mapped = new ArrayList<>();
    for (String part : map.trim().split("\\+", -1)) {
      int colon = part.indexOf(':');
      CpuList lwk;
      int linux;
      try {
        lwk = CpuList.parse(part.substring(0, colon));
        linux = Integer.parseInt(part.substring(colon + 1).trim());
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) { // no colon, or not numbers
        throw new IhkException(Errno.EINVAL, "set ikc_map: '" + part + "' is not mckernel-cpus:linux-cpu, as in"
            + " 4-35:0+36-67:1");
      }
      for (int i = 0; i < lwk.size(); i++) {
        if (!inst.cpus.contains(lwk.get(i))) {
          throw new IhkException(Errno.EINVAL, "set ikc_map: CPU " + lwk.get(i) + " is not assigned to OS " + os
              + " (its CPUs: " + cpuText(inst) + ")");
        }
        mapped.add(lwk.get(i));
      }
      if (linux < 0 || linux >= cpuOwner.length || inst.cpus.contains(linux)) {
        throw new IhkException(Errno.EINVAL, "set ikc_map: Linux CPU " + linux + " must be a CPU of the node"
            + " (0-" + (cpuOwner.length - 1) + ") that OS " + os + " does not have");
      }
    }
    List<Integer> unmapped = new ArrayList<>(inst.cpus);
    unmapped.removeAll(mapped);
    if (!unmapped.isEmpty()) {
      throw new IhkException(Errno.EINVAL, "set ikc_map: CPU " + CpuList.of(unmapped.stream().mapToInt(i -> i)
          .toArray()) + " of OS " + os + " has no Linux CPU in the map");
    }
    inst.ikcMap = map.trim();
  }

  public String getIkcMap(int os) {
    Instance inst = instance(os, "get ikc_map");
    return inst.ikcMap.isEmpty() ? cpuText(inst) + ":0" : inst.ikcMap;
  }

  /** {@code ihkosctl OS boot}: checks everything a boot needs, then BOOTING. */
  public Instance boot(int os) {
    Instance inst = instance(os, "boot");
    if (inst.status != OsStatus.NOT_BOOTED) {
      throw new IhkException(Errno.EBUSY, "boot: OS " + os + " is " + inst.status.shown()
          + "; only an INACTIVE instance boots");
    }
    if (inst.cpus.isEmpty()) {
      throw new IhkException(Errno.EINVAL, "boot: OS " + os + " has no CPUs (ihkosctl " + os
          + " assign cpu LIST)");
    }
    long mem = 0;
    for (long m : inst.memory) {
      mem += m;
    }
    if (mem == 0) {
      throw new IhkException(Errno.EINVAL, "boot: OS " + os + " has no memory (ihkosctl " + os
          + " assign mem SIZE@NUMA)");
    }
    if (inst.image == null) {
      throw new IhkException(Errno.EINVAL, "boot: OS " + os + " has no kernel image (ihkosctl " + os
          + " load mckernel.img)");
    }
    if (inst.kargs == null) {
      throw new IhkException(Errno.EINVAL, "boot: OS " + os + " has no kernel arguments (ihkosctl " + os
          + " kargs \"hidos\")");
    }
    step(inst, OsStatus.BOOTING);
    inst.kmsg.clear();
    return inst;
  }

  /** The instance reported that boot finished: RUNNING. */
  public void booted(int os) {
    Instance inst = instance(os, "booted");
    if (inst.status.booting()) {
      step(inst, OsStatus.RUNNING);
    }
  }

  /** The instance reported that boot failed: back to INACTIVE, resources still assigned. */
  public void bootFailed(int os) {
    Instance inst = instance(os, "boot failed");
    if (inst.status.booting()) {
      step(inst, OsStatus.NOT_BOOTED);
    }
  }

  /**
   * The instance's status notice: one of its CPUs panicked (its monitor word reads PANIC). A booting or
   * running instance becomes PANIC; shutdown and destroy then free its resources.
   */
  public void panicked(int os) {
    Instance inst = instance(os, "panic");
    if (inst.status.booting() || inst.status == OsStatus.RUNNING) {
      step(inst, OsStatus.FAILED);
    }
  }

  /** The hang monitor found a CPU of a running instance making no progress: HUNGUP. */
  public void hungUp(int os) {
    Instance inst = instance(os, "hang");
    if (inst.status == OsStatus.RUNNING) {
      step(inst, OsStatus.HUNGUP);
    }
  }

  /**
   * {@code ihkosctl OS shutdown}: SHUTDOWN until the instance reports its CPUs stopped. A frozen
   * instance is thawed first; a booting one is stopped where it is.
   */
  public Instance shutdown(int os) {
    Instance inst = instance(os, "shutdown");
    if (inst.status == OsStatus.SHUTDOWN) {
      throw new IhkException(Errno.EBUSY, "shutdown: OS " + os + " is already shutting down");
    }
    if (inst.status == OsStatus.NOT_BOOTED) {
      throw new IhkException(Errno.EINVAL, "shutdown: OS " + os + " is INACTIVE; nothing to shut down");
    }
    step(inst, OsStatus.SHUTDOWN);
    return inst;
  }

  /** The instance's CPUs are stopped: its CPUs and memory return to the reserved pool; INACTIVE. */
  public void shutdownDone(int os) {
    Instance inst = instance(os, "shutdown done");
    if (inst.status == OsStatus.SHUTDOWN) {
      returnResources(inst);
      step(inst, OsStatus.NOT_BOOTED);
    }
  }

  /**
   * The instance that failed (PANIC or HUNGUP) and was shut down is brought back by IHK's reboot policy
   * in place: INACTIVE with its CPUs, memory, image and arguments still assigned, ready to boot again.
   */
  public void restarted(int os) {
    Instance inst = instance(os, "restart");
    step(inst, OsStatus.NOT_BOOTED);
  }

  /** Status steps taken, by every instance, since the node was made (each one legal, or the model failed). */
  public long steps() {
    return steps;
  }

  /** Takes {@code inst} to {@code next}: a step IHK's driver cannot take is a model bug and stops the run. */
  private void step(Instance inst, OsStatus next) {
    if (!inst.status.canStepTo(next)) {
      throw new IllegalStep("IHK: OS " + inst.id + " cannot go from " + inst.status + " ("
          + inst.status.shown() + ") to " + next + " (" + next.shown() + ") in one step");
    }
    inst.status = next;
    steps++;
  }

  /** {@code freeze}: legal only from RUNNING. */
  public void freeze(int os) {
    Instance inst = instance(os, "freeze");
    if (inst.status != OsStatus.RUNNING) {
      throw new IhkException(Errno.EINVAL, "freeze: OS " + os + " is " + inst.status.shown()
          + "; only a RUNNING instance can be frozen");
    }
    step(inst, OsStatus.FREEZING);
  }

  /** The instance's CPUs have all stopped for the freeze. */
  public void frozen(int os) {
    Instance inst = instance(os, "frozen");
    if (inst.status == OsStatus.FREEZING) {
      step(inst, OsStatus.FROZEN);
    }
  }

  /** {@code thaw}: legal only from FREEZING or FROZEN. */
  public void thaw(int os) {
    Instance inst = instance(os, "thaw");
    if (inst.status != OsStatus.FREEZING && inst.status != OsStatus.FROZEN) {
      throw new IhkException(Errno.EINVAL, "thaw: OS " + os + " is " + inst.status.shown()
          + "; only a FREEZING or FROZEN instance can be thawed");
    }
    step(inst, OsStatus.RUNNING);
  }

  public OsStatus status(int os) {
    return instance(os, "get status").status;
  }

  public List<String> kmsg(int os) {
    return instance(os, "kmsg").kmsg();
  }

  /** Lines a kmsg ring holds; the oldest go first, as in the kernel's ring buffer. */
  public static final int KMSG_LINES = 4096;

  public void appendKmsg(int os, String line) {
    Instance inst = instances[os];
    if (inst != null) {
      if (inst.kmsg.size() == KMSG_LINES) {
        inst.kmsg.remove(0);
      }
      inst.kmsg.add(line);
    }
  }

  public void clearKmsg(int os) {
    instance(os, "clear_kmsg").kmsg.clear();
  }

  /** A process opened {@code /dev/mcosN} (mcexec does); destroy is refused while any holds it. */
  public void hold(int os) {
    instance(os, "open").holders++;
  }

  public void unhold(int os) {
    Instance inst = instance(os, "close");
    if (inst.holders > 0) {
      inst.holders--;
    }
  }

  public Instance instance(int os) {
    return instance(os, "ihkosctl");
  }

  // ---------------------------------------------------------------- accounting

  /** Reserved memory on a NUMA node, assigned or not. */
  public long reserved(int numa) {
    return pool[numa] + assignedOn(numa);
  }

  /** Memory Linux still has free on a NUMA node. */
  public long linuxFree(int numa) {
    return linuxFree[numa];
  }

  /** Reserved and not assigned. */
  public long pool(int numa) {
    return pool[numa];
  }

  /** CPUs Linux still owns. */
  public CpuList linuxCpus() {
    return cpusOwnedBy(LINUX);
  }

  /** Reserved CPUs not assigned to any instance. */
  public CpuList pooledCpus() {
    return cpusOwnedBy(RESERVED);
  }

  /**
   * The resource-accounting invariant: every CPU and every byte is exactly one of Linux-owned,
   * reserved, or assigned to one instance; instances' CPU lists agree with the owner table; NUMA 0
   * never has more than 95% of Linux's free memory reserved.
   */
  public void check() {
    int[] seen = new int[cpuOwner.length];
    for (Instance inst : instances) {
      if (inst == null) {
        continue;
      }
      for (int c : inst.cpus) {
        if (cpuOwner[c] != inst.id || seen[c]++ > 0) {
          throw new IllegalStateException("CPU " + c + " is listed by OS " + inst.id + " but is "
              + ownerText(c));
        }
      }
    }
    for (int c = 0; c < cpuOwner.length; c++) {
      if (cpuOwner[c] >= 0 && seen[c] == 0) {
        throw new IllegalStateException("CPU " + c + " is owned by OS " + cpuOwner[c]
            + ", which does not list it");
      }
    }
    for (MachineSettings.Numa n : machine.numa()) {
      int i = n.id();
      long sum = linuxFree[i] + pool[i] + assignedOn(i);
      if (linuxFree[i] < 0 || pool[i] < 0 || sum != n.free()) {
        throw new IllegalStateException("NUMA " + i + ": Linux free " + linuxFree[i] + " + reserved "
            + pool[i] + " + assigned " + assignedOn(i) + " != " + n.free());
      }
      if (reserved(i) > reservable(i)) {
        throw new IllegalStateException("NUMA " + i + ": " + reserved(i) + " reserved, above the limit "
            + reservable(i));
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private long reservable(int numa) {
    MachineSettings.Numa n = machine.numa().get(numa);
    long free = n.free();
    long cap = numa == 0 ? free / 100 * 95 : free;
    return cap / MemorySpec.UNIT * MemorySpec.UNIT;
  }

  private long assignedOn(int numa) {
    long sum = 0;
    for (Instance inst : instances) {
      if (inst != null) {
        sum += inst.memory[numa];
      }
    }
    return sum;
  }

  private long[] amounts(MemorySpec spec, long[] allOf, String verb) {
    long[] want = new long[pool.length];
    if (spec.all()) {
      requireNumaExists(spec.allNuma(), verb);
      for (int n = 0; n < want.length; n++) {
        if (spec.allNuma() < 0 || spec.allNuma() == n) {
          want[n] = allOf[n];
        }
      }
    } else {
      for (MemorySpec.Chunk c : spec.chunks()) {
        requireNumaExists(c.numa(), verb);
        want[c.numa()] += c.bytes();
      }
    }
    return want;
  }

  private void returnResources(Instance inst) {
    for (int c : inst.cpus) {
      cpuOwner[c] = RESERVED;
    }
    inst.cpus.clear();
    for (int n = 0; n < pool.length; n++) {
      pool[n] += inst.memory[n];
      inst.memory[n] = 0;
    }
  }

  private CpuList cpusOwnedBy(int owner) {
    List<Integer> r = new ArrayList<>();
    for (int c = 0; c < cpuOwner.length; c++) {
      if (cpuOwner[c] == owner) {
        r.add(c);
      }
    }
    return CpuList.of(r.stream().mapToInt(Integer::intValue).toArray());
  }

  private static String cpuText(Instance inst) {
    StringBuilder sb = new StringBuilder();
    // keep McKernel's order; compress runs that ascend by one
    int i = 0;
    List<Integer> c = inst.cpus;
    while (i < c.size()) {
      int j = i;
      while (j + 1 < c.size() && c.get(j + 1) == c.get(j) + 1) {
        j++;
      }
      sb.append(sb.length() > 0 ? "," : "").append(c.get(i));
      if (j > i) {
        sb.append('-').append(c.get(j));
      }
      i = j + 1;
    }
    return sb.toString();
  }

  private String ownerText(int cpu) {
    int o = cpuOwner[cpu];
    return o == LINUX ? "owned by Linux" : o == RESERVED ? "reserved" : "assigned to OS " + o;
  }

  private Instance instance(int os, String verb) {
    if (os < 0 || os >= instances.length || instances[os] == null) {
      throw new IhkException(Errno.ENOENT, verb + ": OS " + os + " does not exist (/dev/mcos" + os
          + "); existing: " + osInstances());
    }
    return instances[os];
  }

  private Instance notBooted(int os, String verb) {
    Instance inst = instance(os, verb);
    if (inst.status != OsStatus.NOT_BOOTED) {
      throw new IhkException(Errno.EBUSY, verb + ": OS " + os + " is " + inst.status.shown() + "; "
          + verb + " needs an INACTIVE instance (shut it down first)");
    }
    return inst;
  }

  private void requireExist(CpuList cpus) {
    CpuList missing = cpus.minus(machine.allCpus());
    if (!missing.isEmpty()) {
      throw new IhkException(Errno.EINVAL, "CPU " + missing + (missing.size() == 1 ? " does" : " do")
          + " not exist; the node has CPUs " + machine.allCpus());
    }
  }

  private static void requireNonEmpty(CpuList cpus) {
    if (cpus.isEmpty()) {
      throw new IhkException(Errno.EINVAL, "no CPUs given; write a list such as 4-7 or 1-3,5");
    }
  }

  private void requireNumaExists(int numa, String verb) {
    if (numa >= pool.length || numa < -1) {
      throw new IhkException(Errno.EINVAL, verb + ": NUMA node " + numa + " does not exist; the node has"
          + " NUMA nodes 0-" + (pool.length - 1));
    }
  }
}
