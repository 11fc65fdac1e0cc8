namespace KeepSharp.Simulation;

/// <summary>A period during which one partition had more than one master.</summary>
public readonly record struct DualMasterEpisode(long Start, long End, string Masters)
{
    public long Duration => End - Start;
}
