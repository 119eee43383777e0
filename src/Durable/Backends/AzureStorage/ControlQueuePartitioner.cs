using System.IO.Hashing;
using System.Text;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>Maps an instance id to its control queue with a hash that is the same in every process and every .NET version.</summary>
/// <remarks>string.GetHashCode is randomized per process, so two workers would disagree on where an instance's messages live.</remarks>
internal static class ControlQueuePartitioner
{
    public static int PartitionOf(string instanceId, int partitionCount)
    {
        var hash = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(instanceId));
        return (int)(hash % (uint)partitionCount);
    }
}
