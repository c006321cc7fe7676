package io.mcksim.workloads;

/**
 * The arguments of a simulated system call, as the model needs them: which descriptor, how many bytes,
 * which flags, which user memory. A field a call does not use keeps its default ({@link #NO_FD} for
 * {@code fd}, 0 for the others). Immutable; the fluent methods return a copy with one field changed:
 *
 * <pre>{@code
 * SyscallArgs.fd(1).size(4096).buffer(0x10000)               // write(1, 0x10000, 4096)
 * SyscallArgs.region(0x200000, 1 << 21).flags(0x22)           // mmap(0x200000, 2 MiB, ..., 0x22, ...)
 * SyscallArgs.fd(3).size(8192).buffer(0x10000).offset(4096)  // pread64(3, 0x10000, 8192, 4096)
 * }</pre>
 *
 * @param fd      the file descriptor, {@link #NO_FD} when the call takes none ({@link #AT_FDCWD} for the
 *                *at calls relative to the working directory); not checked, since a bad descriptor is a
 *                modelled error (EBADF), not a malformed program
 * @param size    the byte count of a transfer (read, write, pread64, ...); not negative
 * @param flags   the call's flags or mode bits, as the raw bit pattern
 * @param address the user address of the call's buffer or region (the buffer of read/write, the start of
 *                mmap/munmap/madvise); not negative; 0 when the call takes none
 * @param length  the length of the region at {@code address} for the memory calls (mmap, munmap,
 *                mprotect, madvise, ...); not negative
 * @param offset  a file offset (pread64, pwrite64, lseek, mmap); any value, as lseek takes negative ones
 * @param path    the path of open, openat, stat and the like, or null
 * @param errno   0 for a call that succeeds as the model says; otherwise the error number (1 to
 *                {@value #MAX_ERRNO}) of a call known to fail, such as a failed call of a recorded trace:
 *                it costs what the call costs, and changes nothing (an open that fails opens no
 *                descriptor, an mmap that fails maps nothing)
 */
public record SyscallArgs(int fd, long size, long flags, long address, long length, long offset,
    String path, int errno) {

  /** The end of x86-64's user address space (128 TiB): where user addresses, buffers and regions end. */
  public static final long USER_SPACE = 1L << 47;

  /** The largest error number, Linux's MAX_ERRNO. */
  public static final int MAX_ERRNO = 4095;

  /** Arguments of a call that succeeds. */
  public SyscallArgs(int fd, long size, long flags, long address, long length, long offset, String path) {
    this(fd, size, flags, address, length, offset, path, 0);
  }

  /** Arguments without a path, of a call that succeeds. */
  public SyscallArgs(int fd, long size, long flags, long address, long length, long offset) {
    this(fd, size, flags, address, length, offset, null);
  }

  /** {@code fd} of a call that takes no file descriptor. */
  public static final int NO_FD = -1;

  /** {@code fd} meaning "relative to the working directory" for openat, mkdirat and the other *at calls. */
  public static final int AT_FDCWD = -100;

  /** No arguments at all (getpid, sched_yield, ...). */
  public static final SyscallArgs NONE = new SyscallArgs(NO_FD, 0, 0, 0, 0, 0);

  /** Checks the fields; see the record comment for what each may hold. */
  public SyscallArgs {
    if (size < 0) {
      throw new IllegalArgumentException("syscall size must not be negative, got " + size);
    }
    if (address < 0) {
      throw new IllegalArgumentException("syscall buffer address must not be negative, got " + address);
    }
    if (length < 0) {
      throw new IllegalArgumentException("syscall length must not be negative, got " + length);
    }
    if (errno < 0 || errno > MAX_ERRNO) {
      throw new IllegalArgumentException("syscall errno must be 0 (succeeds) to " + MAX_ERRNO + ", got " + errno);
    }
  }

  /** Whether the call is known to fail ({@link #errno} is not 0). */
  public boolean fails() {
    return errno != 0;
  }

  /** No arguments; the same as {@link #NONE}. */
  public static SyscallArgs none() {
    return NONE;
  }

  /** Arguments with only a file descriptor set; chain the other fields. */
  public static SyscallArgs fd(int fd) {
    return NONE.withFd(fd);
  }

  /** Arguments naming a memory region (mmap, munmap, mprotect, madvise, ...); chain the other fields. */
  public static SyscallArgs region(long address, long length) {
    return NONE.address(address).length(length);
  }

  /** A copy with {@code fd} changed. */
  public SyscallArgs withFd(int fd) {
    return new SyscallArgs(fd, size, flags, address, length, offset, path, errno);
  }

  /** A copy with {@code size} changed. */
  public SyscallArgs size(long size) {
    return new SyscallArgs(fd, size, flags, address, length, offset, path, errno);
  }

  /** A copy with {@code flags} changed. */
  public SyscallArgs flags(long flags) {
    return new SyscallArgs(fd, size, flags, address, length, offset, path, errno);
  }

  /** A copy with {@code address} changed. */
  public SyscallArgs address(long address) {
    return new SyscallArgs(fd, size, flags, address, length, offset, path, errno);
  }

  /** A copy with the user buffer's address changed; the same field as {@link #address(long)}. */
  public SyscallArgs buffer(long address) {
    return address(address);
  }

  /** A copy with {@code length} changed. */
  public SyscallArgs length(long length) {
    return new SyscallArgs(fd, size, flags, address, length, offset, path, errno);
  }

  /** A copy with {@code offset} changed. */
  public SyscallArgs offset(long offset) {
    return new SyscallArgs(fd, size, flags, address, length, offset, path, errno);
  }

  /** A copy with {@code path} changed. */
  public SyscallArgs path(String path) {
    return new SyscallArgs(fd, size, flags, address, length, offset, path, errno);
  }

  /** A copy with {@code errno} changed: 0 for a call that succeeds, else the error it fails with. */
  public SyscallArgs errno(int errno) {
    return new SyscallArgs(fd, size, flags, address, length, offset, path, errno);
  }

  /** Only the fields that differ from {@link #NONE}, e.g. {@code (fd=1, size=4096, address=0x10000)}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("(");
    if (fd != NO_FD) {
      s.append("fd=").append(fd);
    }
    append(s, "size", size, false);
    append(s, "flags", flags, true);
    append(s, "address", address, true);
    append(s, "length", length, false);
    append(s, "offset", offset, false);
    if (path != null) {
      s.append(s.length() > 1 ? ", " : "").append("path=").append(path);
    }
    append(s, "errno", errno, false);
    return s.append(')').toString();
  }

  private static void append(StringBuilder s, String key, long value, boolean hex) {
    if (value != 0) {
      if (s.length() > 1) {
        s.append(", ");
      }
      s.append(key).append('=').append(hex ? "0x" + Long.toHexString(value) : Long.toString(value));
    }
  }
}
