package io.mcksim.workloads;

import java.util.HashMap;
import java.util.Map;

/**
 * Linux's error numbers by name, as strace prints them after a failed call ({@code = -1 ENOENT (...)}):
 * x86_64's {@code errno.h}, synonyms included, and the kernel-internal restart codes strace shows for an
 * interrupted call ({@code ERESTARTSYS}).
 */
public final class LinuxErrno {

  /** The number of an error name this table does not know: Linux's largest error number, MAX_ERRNO. */
  public static final int UNKNOWN = 4095;

  private static final Map<String, Integer> NUMBERS = new HashMap<>();

  static {
    String[] names = {null, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
        "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV",
        "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE",
        "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS",
        "ENOTEMPTY", "ELOOP", null, "ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST", "ELNRNG",
        "EUNATCH", "ENOCSI", "EL2HLT", "EBADE", "EBADR", "EXFULL", "ENOANO", "EBADRQC", "EBADSLT", null,
        "EBFONT", "ENOSTR", "ENODATA", "ETIME", "ENOSR", "ENONET", "ENOPKG", "EREMOTE", "ENOLINK", "EADV",
        "ESRMNT", "ECOMM", "EPROTO", "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW", "ENOTUNIQ", "EBADFD",
        "EREMCHG", "ELIBACC", "ELIBBAD", "ELIBSCN", "ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE",
        "EUSERS", "ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT",
        "ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT", "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL",
        "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED", "ECONNRESET", "ENOBUFS", "EISCONN",
        "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED", "EHOSTDOWN", "EHOSTUNREACH",
        "EALREADY", "EINPROGRESS", "ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL", "EISNAM", "EREMOTEIO", "EDQUOT",
        "ENOMEDIUM", "EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED", "EKEYREVOKED", "EKEYREJECTED",
        "EOWNERDEAD", "ENOTRECOVERABLE", "ERFKILL", "EHWPOISON"};
    for (int n = 1; n < names.length; n++) {
      if (names[n] != null) {
        NUMBERS.put(names[n], n);
      }
    }
    NUMBERS.put("EWOULDBLOCK", 11);
    NUMBERS.put("EDEADLOCK", 35);
    NUMBERS.put("ENOTSUP", 95);
    String[] restarts = {"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
        "ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM"};
    for (int i = 0; i < restarts.length; i++) {
      NUMBERS.put(restarts[i], 512 + i);
    }
  }

  private LinuxErrno() {}

  /** The number of error {@code name} (ENOENT is 2), or {@link #UNKNOWN} for a name this table lacks. */
  public static int number(String name) {
    return NUMBERS.getOrDefault(name, UNKNOWN);
  }
}
