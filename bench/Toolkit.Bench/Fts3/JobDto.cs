using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolkit.Bench.Fts3;

/// <summary>The same job attributes as the generated <c>Job</c>, as a plain class for System.Text.Json reflection.</summary>
public sealed class JobDto
{
    [JsonPropertyName("job_id")] public string? JobId { get; set; }
    [JsonPropertyName("job_state")] public string? JobState { get; set; }
    [JsonPropertyName("job_type")] public string? JobType { get; set; }
    [JsonPropertyName("cancel_job")] public bool? CancelJob { get; set; }
    [JsonPropertyName("source_se")] public string? SourceSe { get; set; }
    [JsonPropertyName("dest_se")] public string? DestSe { get; set; }
    [JsonPropertyName("submit_host")] public string? SubmitHost { get; set; }
    [JsonPropertyName("user_dn")] public string? UserDn { get; set; }
    [JsonPropertyName("cred_id")] public string? CredId { get; set; }
    [JsonPropertyName("vo_name")] public string? VoName { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("submit_time")] public DateTime? SubmitTime { get; set; }
    [JsonPropertyName("job_finished")] public DateTime? JobFinished { get; set; }
    [JsonPropertyName("priority")] public int? Priority { get; set; }
    [JsonPropertyName("max_time_in_queue")] public long? MaxTimeInQueue { get; set; }
    [JsonPropertyName("destination_spacetoken")] public string? DestinationSpacetoken { get; set; }
    [JsonPropertyName("source_spacetoken")] public string? SourceSpacetoken { get; set; }
    [JsonPropertyName("internal_job_params")] public string? InternalJobParams { get; set; }
    [JsonPropertyName("dst_file_report")] public bool? DstFileReport { get; set; }
    [JsonPropertyName("overwrite_flag")] public string? OverwriteFlag { get; set; }
    [JsonPropertyName("copy_pin_lifetime")] public int? CopyPinLifetime { get; set; }
    [JsonPropertyName("verify_checksum")] public string? VerifyChecksum { get; set; }
    [JsonPropertyName("bring_online")] public int? BringOnline { get; set; }
    [JsonPropertyName("archive_timeout")] public int? ArchiveTimeout { get; set; }
    [JsonPropertyName("target_qos")] public string? TargetQos { get; set; }
    [JsonPropertyName("job_metadata")] public JsonElement? JobMetadata { get; set; }
    [JsonPropertyName("retry")] public int? Retry { get; set; }
    [JsonPropertyName("retry_delay")] public int? RetryDelay { get; set; }
    [JsonPropertyName("os_project_id")] public string? OsProjectId { get; set; }
    [JsonPropertyName("http_status")] public string? HttpStatus { get; set; }
    [JsonPropertyName("http_message")] public string? HttpMessage { get; set; }
}
