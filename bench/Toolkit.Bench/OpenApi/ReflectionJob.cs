using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Toolkit.Bench.OpenApi;

/// <summary>Hand-written equivalent of the generated <c>Job</c> model, serialized by System.Text.Json reflection.</summary>
public sealed class ReflectionJob
{
    [JsonPropertyName("job_id")] public Guid JobId { get; set; }
    [JsonPropertyName("job_state")] public string JobState { get; set; } = "";
    [JsonPropertyName("job_type")] public string? JobType { get; set; }
    [JsonPropertyName("user_dn")] public string UserDn { get; set; } = "";
    [JsonPropertyName("vo_name")] public string VoName { get; set; } = "";
    [JsonPropertyName("cred_id")] public string? CredId { get; set; }
    [JsonPropertyName("submit_time")] public DateTimeOffset SubmitTime { get; set; }
    [JsonPropertyName("submit_host")] public string? SubmitHost { get; set; }
    [JsonPropertyName("job_finished")] public DateTimeOffset? JobFinished { get; set; }
    [JsonPropertyName("priority")] public int Priority { get; set; }
    [JsonPropertyName("max_time_in_queue")] public int? MaxTimeInQueue { get; set; }
    [JsonPropertyName("source_space_token")] public string? SourceSpaceToken { get; set; }
    [JsonPropertyName("space_token")] public string? SpaceToken { get; set; }
    [JsonPropertyName("overwrite_flag")] public bool? OverwriteFlag { get; set; }
    [JsonPropertyName("verify_checksum")] public string? VerifyChecksum { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("cancel_job")] public bool? CancelJob { get; set; }
    [JsonPropertyName("retry")] public int? Retry { get; set; }
    [JsonPropertyName("retry_delay")] public int? RetryDelay { get; set; }
    [JsonPropertyName("copy_pin_lifetime")] public long? CopyPinLifetime { get; set; }
    [JsonPropertyName("bring_online")] public long? BringOnline { get; set; }
    [JsonPropertyName("internal_job_params")] public string? InternalJobParams { get; set; }
    [JsonPropertyName("job_metadata")] public Dictionary<string, string>? JobMetadata { get; set; }
    [JsonPropertyName("files")] public List<ReflectionFile> Files { get; set; } = new();
}

/// <summary>Hand-written equivalent of the generated <c>File</c> model.</summary>
public sealed class ReflectionFile
{
    [JsonPropertyName("file_id")] public long FileId { get; set; }
    [JsonPropertyName("file_state")] public string FileState { get; set; } = "";
    [JsonPropertyName("source_surl")] public string SourceSurl { get; set; } = "";
    [JsonPropertyName("dest_surl")] public string DestSurl { get; set; } = "";
    [JsonPropertyName("source_se")] public string? SourceSe { get; set; }
    [JsonPropertyName("dest_se")] public string? DestSe { get; set; }
    [JsonPropertyName("filesize")] public long? Filesize { get; set; }
    [JsonPropertyName("checksum")] public string? Checksum { get; set; }
    [JsonPropertyName("throughput")] public double? Throughput { get; set; }
    [JsonPropertyName("start_time")] public DateTimeOffset? StartTime { get; set; }
    [JsonPropertyName("finish_time")] public DateTimeOffset? FinishTime { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("retry")] public int? Retry { get; set; }
}
