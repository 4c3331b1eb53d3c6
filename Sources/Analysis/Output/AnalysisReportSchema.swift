/// The JSON Schema (draft 2020-12) of an analysis report.json, written beside it as report.schema.json.
public enum AnalysisReportSchema {
    /// The schema text.
    public static let text = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:meterproof:schema:analysis-report:1",
  "title": "meterproof analyze report",
  "type": "object",
  "required": ["schema", "run_id", "tool", "exit_status", "pdu_count", "findings_by_id", "totals", "files", "conversations", "findings", "rules", "latency"],
  "properties": {
    "schema": {"const": "urn:meterproof:schema:analysis-report:1"},
    "run_id": {"type": "string"},
    "tool": {"type": "string"},
    "exit_status": {"enum": [0, 1, 2], "description": "0 no finding of severity error; 1 at least one; 2 a capture could not be read to its end"},
    "pdu_count": {"type": "integer", "minimum": 0, "description": "PDUs decoded over all captures (one line each in pdus.jsonl)"},
    "findings_by_id": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}, "description": "every finding counted by rule id (listed or not)"},
    "totals": {
      "type": "object",
      "required": ["files", "packets", "pdus", "pdus_by_protocol", "conversations", "findings", "findings_by_severity"],
      "properties": {
        "files": {"type": "integer"}, "packets": {"type": "integer"}, "pdus": {"type": "integer"},
        "pdus_by_protocol": {"type": "object", "additionalProperties": {"type": "integer"}},
        "conversations": {"type": "integer"}, "findings": {"type": "integer"},
        "findings_by_severity": {"type": "object", "properties": {"error": {"type": "integer"}, "warning": {"type": "integer"}, "info": {"type": "integer"}}}
      }
    },
    "files": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["index", "path", "format", "size", "packets", "pdus", "conversations", "findings_by_id", "complete", "error"],
        "properties": {
          "index": {"type": "integer", "minimum": 1}, "path": {"type": "string"}, "format": {"enum": ["pcapng", "pcap", null]},
          "size": {"type": "integer"}, "packets": {"type": "integer"}, "other_packets": {"type": "integer"},
          "ip_fragments": {"type": "integer"}, "unsupported_packets": {"type": "integer"}, "pdus": {"type": "integer"}, "conversations": {"type": "integer"},
          "conversations_listed": {"type": "integer"},
          "findings_by_id": {"type": "object", "additionalProperties": {"type": "integer"}},
          "first_time": {"type": ["string", "null"]}, "last_time": {"type": ["string", "null"]},
          "complete": {"type": "boolean"},
          "error": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["offset", "message"], "properties": {"offset": {"type": "integer"}, "message": {"type": "string"}}}]},
          "elapsed_seconds": {"type": "number"}
        }
      }
    },
    "conversations": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["file_index", "id", "transport", "client", "server", "protocol", "first_time", "last_time", "packets", "pdus", "latency"],
        "properties": {
          "file_index": {"type": "integer"}, "id": {"type": "integer"}, "transport": {"enum": ["tcp", "udp", "serial"]},
          "client": {"type": "string"}, "server": {"type": "string"},
          "protocol": {"type": ["string", "null"]}, "port_hint": {"type": ["string", "null"]},
          "first_time": {"type": "string"}, "last_time": {"type": "string"},
          "first_frame": {"type": "integer"}, "last_frame": {"type": "integer"}, "packets": {"type": "integer"},
          "bytes_client_to_server": {"type": "integer"}, "bytes_server_to_client": {"type": "integer"}, "gap_bytes": {"type": "integer"},
          "pdus": {"type": "integer"}, "pdus_client_to_server": {"type": "integer"}, "pdus_server_to_client": {"type": "integer"},
          "findings": {"type": "integer"}, "latency": {"$ref": "#/$defs/latency"},
          "close_reason": {"enum": ["fin", "reset", "idle", "evicted", "end_of_capture", null]}
        }
      }
    },
    "findings": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["id", "severity", "title", "source", "file_index", "file", "conversation", "frames", "time", "message"],
        "properties": {
          "id": {"type": "string"}, "severity": {"enum": ["error", "warning", "info"]}, "title": {"type": "string"},
          "source": {"type": "string"}, "file_index": {"type": "integer"}, "file": {"type": "string"},
          "conversation": {"type": ["integer", "null"]}, "frames": {"type": "array", "items": {"type": "integer"}},
          "time": {"type": ["string", "null"]}, "message": {"type": "string"}
        }
      }
    },
    "rules": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["id", "severity", "title", "source", "count"],
        "properties": {"id": {"type": "string"}, "severity": {"enum": ["error", "warning", "info"]}, "title": {"type": "string"}, "source": {"type": "string"}, "count": {"type": "integer"}}
      }
    },
    "latency": {
      "allOf": [{"$ref": "#/$defs/latency"}],
      "properties": {"histogram": {"type": "array", "items": {"type": "object", "required": ["bucket", "count"], "properties": {"bucket": {"type": "string"}, "count": {"type": "integer"}}}}}
    }
  },
  "$defs": {
    "latency": {
      "type": "object",
      "required": ["count", "min_ms", "mean_ms", "max_ms"],
      "properties": {"count": {"type": "integer"}, "min_ms": {"type": ["number", "null"]}, "mean_ms": {"type": ["number", "null"]}, "max_ms": {"type": ["number", "null"]}}
    }
  }
}

"""#
}
