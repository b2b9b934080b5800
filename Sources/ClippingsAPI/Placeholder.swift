import Hummingbird
import CompressNIO
public enum P3 {}
