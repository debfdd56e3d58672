namespace Toolkit.Generated.Monitoring;

/// <summary>The f-stream XFR block: bytes moved so far on one open file.</summary>
/// <param name="Read">Bytes read with read requests.</param>
/// <param name="Readv">Bytes read with vector reads.</param>
/// <param name="Write">Bytes written.</param>
public readonly record struct XrdMonTransfer(long Read, long Readv, long Write);

/// <summary>The f-stream OPS block: request counts and extremes of one file access.</summary>
/// <param name="Read">Read calls.</param>
/// <param name="Readv">Vector-read calls.</param>
/// <param name="Write">Write calls.</param>
/// <param name="RsMin">Fewest segments in a vector read.</param>
/// <param name="RsMax">Most segments in a vector read.</param>
/// <param name="Rsegs">Total vector-read segments.</param>
/// <param name="RdMin">Smallest read.</param>
/// <param name="RdMax">Largest read.</param>
/// <param name="RvMin">Smallest vector read in bytes.</param>
/// <param name="RvMax">Largest vector read in bytes.</param>
/// <param name="WrMin">Smallest write.</param>
/// <param name="WrMax">Largest write.</param>
public readonly record struct XrdMonOps(
    int Read, int Readv, int Write, short RsMin, short RsMax, long Rsegs,
    int RdMin, int RdMax, int RvMin, int RvMax, int WrMin, int WrMax);

/// <summary>The f-stream SSQ block: sums of squares of request sizes.</summary>
/// <param name="Read">Σ read².</param>
/// <param name="Readv">Σ readv².</param>
/// <param name="Rsegs">Σ rsegs².</param>
/// <param name="Write">Σ write².</param>
public readonly record struct XrdMonSsq(double Read, double Readv, double Rsegs, double Write);
