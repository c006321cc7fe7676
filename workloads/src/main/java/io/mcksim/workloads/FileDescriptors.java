package io.mcksim.workloads;

import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A process's open file descriptors, as a kernel model keeps them: an open returns the lowest free
 * descriptor from {@value #FIRST} (0-2 are the standard streams), close frees it, and a descriptor open
 * on a /proc or /sys view file ({@link ProcView}) remembers where its reads are. A process holds at most
 * {@value #MAX_OPEN} descriptors (Linux's default {@code fs.nr_open}); an open beyond fails with EMFILE.
 * Each open and close takes time logarithmic in the descriptors open.
 */
public final class FileDescriptors {

  /** The lowest descriptor an open can return. */
  public static final int FIRST = 3;

  /** The most descriptors a process holds open at once (Linux's default {@code fs.nr_open}). */
  public static final int MAX_OPEN = 1 << 20;

  /** Too many open files: what an open returns, negated, when {@link #MAX_OPEN} descriptors are open. */
  public static final int EMFILE = 24;

  /** Syscall numbers of the calls that open, read and close a descriptor. */
  public static final int OPEN = LinuxSyscalls.number("open");
  public static final int OPENAT = LinuxSyscalls.number("openat");
  public static final int READ = LinuxSyscalls.number("read");
  public static final int WRITE = LinuxSyscalls.number("write");
  public static final int CLOSE = LinuxSyscalls.number("close");
  public static final int PIPE = LinuxSyscalls.number("pipe");
  public static final int PIPE2 = LinuxSyscalls.number("pipe2");

  /** Whether syscall {@code number} makes a pipe (pipe, pipe2). */
  public static boolean makesPipe(int number) {
    return number == PIPE || number == PIPE2;
  }

  /**
   * A pipe: the bytes written to it and not read yet, and whether its write end is still open (a read of
   * an empty pipe whose write end is closed returns 0, end of file). Its capacity is not modelled: a
   * write never waits.
   */
  public static final class Pipe {
    private long buffered;
    private boolean writable = true;

    /** Bytes written and not read yet. */
    public long buffered() {
      return buffered;
    }

    /** Whether a writer can still write (the write end is open). */
    public boolean writable() {
      return writable;
    }

    /** A write of {@code bytes}. */
    public void write(long bytes) {
      buffered += bytes;
    }

    /** A read of at most {@code size} bytes: how many it gets (0 when the pipe is empty). */
    public long read(long size) {
      long bytes = Math.min(size, buffered);
      buffered -= bytes;
      return bytes;
    }
  }

  /** Whether syscall {@code number} opens a file by its path (open, openat). */
  public static boolean opens(int number) {
    return number == OPEN || number == OPENAT;
  }

  /** The syscall number of mmap. */
  public static final int MMAP = 9;

  /** In an open's request, the view-file id that says the path names a device file. */
  public static final long DEVICE = -1;

  /** An open descriptor: the view file it names ({@link ProcView.File#NONE} for any other file). */
  public static final class Open {
    private final ProcView.File file;
    private final boolean device;
    /** The pipe it is an end of, or null; which end. */
    private Pipe pipe;
    private boolean readEnd;
    private long offset;

    Open(ProcView.File file) {
      this(file, false);
    }

    Open(ProcView.File file, boolean device) {
      this.file = file;
      this.device = device;
    }

    /** The pipe it is the read end of, or null. */
    public Pipe pipeToRead() {
      return pipe != null && readEnd ? pipe : null;
    }

    /** The pipe it is the write end of, or null. */
    public Pipe pipeToWrite() {
      return pipe != null && !readEnd ? pipe : null;
    }

    /** Whether it is a device file whose driver maps device memory (see {@link #isDevice(String)}). */
    public boolean device() {
      return device;
    }

    public ProcView.File file() {
      return file;
    }

    /** Whether reads of it get a view file's bytes. */
    public boolean isView() {
      return file != ProcView.File.NONE;
    }

    /** How many of {@code size} bytes a read gets from a file of {@code length} bytes; moves on by them. */
    public long read(long size, long length) {
      long bytes = ProcView.readable(length, offset, size);
      advance(bytes);
      return bytes;
    }

    /** A read elsewhere (McKernel, over IKC) returned {@code bytes}: the next one starts after them. */
    public void advance(long bytes) {
      offset += bytes;
    }

    public long offset() {
      return offset;
    }
  }

  private final TreeMap<Integer, Open> open = new TreeMap<>();
  /** Free descriptors below {@link #end}, from closes. */
  private final TreeSet<Integer> holes = new TreeSet<>();
  /** Every descriptor from here up is free. */
  private int end = FIRST;

  /** Opens {@code file}: the lowest free descriptor, or -{@link #EMFILE} when too many are open. */
  public int open(ProcView.File file) {
    return add(new Open(file));
  }

  /** Opens a device file: the lowest free descriptor, or -{@link #EMFILE} when too many are open. */
  public int openDevice() {
    return add(new Open(ProcView.File.NONE, true));
  }

  /**
   * pipe: a new pipe's read end and write end, the two lowest free descriptors in that order (as
   * {@code pipe([3, 4])}); null when too many are open.
   */
  public int[] openPipe() {
    if (open.size() + 2 > MAX_OPEN) {
      return null;
    }
    Pipe pipe = new Pipe();
    Open read = new Open(ProcView.File.NONE);
    Open write = new Open(ProcView.File.NONE);
    read.pipe = pipe;
    read.readEnd = true;
    write.pipe = pipe;
    return new int[] {add(read), add(write)};
  }

  private int add(Open file) {
    if (open.size() >= MAX_OPEN) {
      return -EMFILE;
    }
    Integer hole = holes.pollFirst();
    int fd = hole != null ? hole : end++;
    open.put(fd, file);
    return fd;
  }

  /** Files under /dev that are not devices with memory to map. */
  private static final java.util.Set<String> NOT_MAPPABLE = java.util.Set.of("/dev/null", "/dev/zero",
      "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/console", "/dev/ptmx");

  /**
   * Whether {@code path} names a device whose Linux driver maps device memory (an HFI or GPU, say):
   * a file under /dev, but for the character devices that have none.
   */
  public static boolean isDevice(String path) {
    return path != null && path.startsWith("/dev/") && !path.startsWith("/dev/pts/")
        && !NOT_MAPPABLE.contains(path);
  }

  /** Frees {@code fd}; a descriptor that is not open is left alone (the call's error is not modelled). */
  public void close(int fd) {
    Open closed = open.remove(fd);
    if (closed == null || fd < FIRST) {
      return;
    }
    if (closed.pipeToWrite() != null) {
      closed.pipe.writable = false; // one write end per pipe: no writer is left
    }
    holes.add(fd);
    while (!holes.isEmpty() && holes.last() == end - 1) {
      end = holes.pollLast();
    }
  }

  /** The open descriptor {@code fd}, or null. */
  public Open get(int fd) {
    return open.get(fd);
  }

  /** The open descriptors, lowest first. */
  public NavigableSet<Integer> fds() {
    return Collections.unmodifiableNavigableSet(open.navigableKeySet());
  }

  public void clear() {
    open.clear();
    holes.clear();
    end = FIRST;
  }
}
