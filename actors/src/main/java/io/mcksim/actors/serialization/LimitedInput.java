package io.mcksim.actors.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * Kryo's {@link Input} over the bytes of one message, refusing a length the message cannot honestly
 * declare before anything is allocated for it, so that a message that declares a huge array, string,
 * collection or map fails with a {@link KryoException} instead of running the JVM out of memory.
 *
 * <ul>
 *   <li>Arrays of primitives and strings: each element takes at least one byte, so a length above the
 *       bytes that follow, or above {@value #MAX_ELEMENTS_PATH}, is refused.</li>
 *   <li>Arrays of objects, collections and maps (their serializers are wrapped by the registry, see
 *       {@link #lengthFollows}) and lengths a serializer reads through {@link #readLength}: their elements
 *       may take no byte at all (an empty list), so they are charged to the message's budget instead,
 *       {@value #MAX_ELEMENTS_PATH} elements in all; nested containers cannot multiply it.</li>
 * </ul>
 */
public final class LimitedInput extends Input {

  /** Configuration key of the elements one message may declare in all. */
  public static final String MAX_ELEMENTS_PATH = "mcksim.actors.serialization.max-elements";

  private final int maxElements;
  /** Elements the message may still declare in its containers. */
  private int budget;
  /** What the next length read belongs to (a container whose serializer is about to read it), or null. */
  private String pending;

  /** Reads {@code bytes}, one message, whose containers may declare {@code maxElements} elements in all. */
  public LimitedInput(byte[] bytes, int maxElements) {
    super(bytes);
    this.maxElements = maxElements;
    this.budget = maxElements;
  }

  /**
   * Reads a length a serializer wrote with {@code writeVarInt(n, true)} and, if {@code in} is a limited
   * input, charges it to the message's budget before the caller allocates for it.
   *
   * @param what how an error names the container ("a stack trace")
   */
  public static int readLength(Input in, String what) {
    int n = in.readVarInt(true);
    return in instanceof LimitedInput limited ? limited.charge(n, what) : n;
  }

  /**
   * Marks the next length read as the one of {@code what}, a container whose serializer reads its
   * length (plus one, zero meaning null) as its first varint; {@code null} clears the mark.
   */
  void lengthFollows(String what) {
    pending = what;
  }

  @Override
  public int readVarInt(boolean optimizePositive) {
    return pendingLength(super.readVarInt(optimizePositive));
  }

  @Override
  public int readVarIntFlag(boolean optimizePositive) {
    return pendingLength(super.readVarIntFlag(optimizePositive));
  }

  private int pendingLength(int lengthPlusOne) {
    String what = pending;
    if (what != null) {
      pending = null;
      if (lengthPlusOne != 0) {
        charge(lengthPlusOne - 1, what);
      }
    }
    return lengthPlusOne;
  }

  private int charge(int n, String what) {
    if (n < 0 || n > budget) {
      throw new KryoException("the message declares " + what + " of " + lengthText(n) + ", more than it may: "
          + (n < 0 ? "a corrupt length" : "at most " + maxElements + " elements in all the arrays, collections and maps"
          + " of one message (" + MAX_ELEMENTS_PATH + "), " + budget + " of them left"));
    }
    budget -= n;
    return n;
  }

  /** Checks the length of an array of primitives or a string, each element at least one byte. */
  private int bulk(int n, String what) {
    int left = limit - position;
    if (n < 0 || n > left || n > maxElements) {
      throw new KryoException("the message declares " + what + " of " + lengthText(n) + ", more than it may: "
          + (n < 0 ? "a corrupt length" : n > left ? "only " + left + " bytes follow"
          : "at most " + maxElements + " elements (" + MAX_ELEMENTS_PATH + ")"));
    }
    return n;
  }

  private static String lengthText(int n) {
    return n < 0 ? Integer.toUnsignedString(n) + " elements" : n + " elements";
  }

  @Override
  public String readString() {
    utf8Length();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    utf8Length();
    return super.readStringBuilder();
  }

  /**
   * A UTF-8 string declares its length in characters, each at least one byte; checks it and leaves the
   * position where it was. An ASCII string declares none: its end is marked in its last byte.
   */
  private void utf8Length() {
    if (position < limit && readVarIntFlag()) {
      int start = position;
      int lengthPlusOne = super.readVarIntFlag(true);
      if (lengthPlusOne > 1 || lengthPlusOne < 0) {
        bulk(lengthPlusOne - 1, "a string");
      }
      position = start;
    }
  }

  @Override
  public byte[] readBytes(int length) {
    return super.readBytes(bulk(length, "a byte array"));
  }

  @Override
  public char[] readChars(int length) {
    return super.readChars(bulk(length, "a char array"));
  }

  @Override
  public short[] readShorts(int length) {
    return super.readShorts(bulk(length, "a short array"));
  }

  @Override
  public int[] readInts(int length) {
    return super.readInts(bulk(length, "an int array"));
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    return super.readInts(bulk(length, "an int array"), optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    return super.readLongs(bulk(length, "a long array"));
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    return super.readLongs(bulk(length, "a long array"), optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    return super.readFloats(bulk(length, "a float array"));
  }

  @Override
  public double[] readDoubles(int length) {
    return super.readDoubles(bulk(length, "a double array"));
  }

  @Override
  public boolean[] readBooleans(int length) {
    return super.readBooleans(bulk(length, "a boolean array"));
  }
}
