
    const schema = {
  "asyncapi": "3.1.0",
  "info": {
    "title": "DWP platform Redis contract",
    "version": "1.0.0",
    "description": "The Redis side of the contract: the HITL decision channel, the workbench notification\nchannels, and the three `hitl:*` keys. Message payloads reuse the schemas of\n`openapi.yaml`, so each shape is written once. `npm run generate` builds typed channel and\nkey helpers from this file (`generated/redis.ts`); `src/` never spells a channel or key name.\n\nAsyncAPI has no notion of a key: `x-redis-keys` lists them with their record schema and TTL.\nChannels whose name operators may change name the environment variable in `x-env`.\n",
    "license": {
      "name": "UNLICENSED"
    }
  },
  "defaultContentType": "application/json",
  "servers": {
    "redis": {
      "host": "127.0.0.1:6379",
      "protocol": "redis",
      "description": "The shared Redis (`REDIS_URL`)."
    }
  },
  "x-redis-keys": {
    "hitlRequest": {
      "pattern": "hitl:request:{requestId}",
      "writtenBy": "aura (created); main (decision)",
      "ttlSeconds": 1800,
      "schema": {
        "type": "object",
        "description": "Redis key `hitl:request:{requestId}` (30 min). Written by Aura; the backend sets the decision.",
        "required": [
          "requestId",
          "sessionId",
          "userId",
          "tenantId",
          "actionType",
          "context",
          "status",
          "createdAt"
        ],
        "properties": {
          "requestId": {
            "type": "string",
            "description": "An identifier (requestId, sessionId, runId, caseId, tenantId, ...). No Redis glob characters, no CR/LF.",
            "pattern": "^[A-Za-z0-9._:-]{1,128}$",
            "minLength": 1,
            "maxLength": 128,
            "example": "DEMO00001",
            "x-parser-schema-id": "Identifier"
          },
          "sessionId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "userId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "tenantId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "actionType": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64
          },
          "message": {
            "type": "string"
          },
          "context": {
            "type": "object",
            "description": "What the action is about; free-form beyond the named fields.",
            "additionalProperties": true,
            "properties": {
              "caseId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "docKey": {
                "type": "string",
                "maxLength": 128
              }
            },
            "x-parser-schema-id": "HitlContext"
          },
          "status": {
            "type": "string",
            "description": "`expired`: Aura timed the wait out (the case is on hold); a decision after that is 409 E3006.",
            "enum": [
              "pending",
              "approved",
              "rejected",
              "expired"
            ],
            "x-parser-schema-id": "HitlStatus"
          },
          "createdAt": {
            "type": "integer",
            "description": "Unix time in whole seconds. Values above 9999999999 are rejected so milliseconds cannot slip through.",
            "minimum": 0,
            "maximum": 9999999999,
            "example": 1795000000,
            "x-parser-schema-id": "UnixSeconds"
          },
          "approvedBy": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "approvedAt": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
          "rejectedBy": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "rejectedAt": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
          "expiredAt": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
          "expiresAt": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
          "reason": {
            "type": "string",
            "maxLength": 1000
          }
        },
        "example": {
          "requestId": "req-7f3a9c",
          "sessionId": "sess-2b81d4",
          "userId": "requester",
          "tenantId": "acme",
          "actionType": "PAYMENT_BLOCK",
          "context": {
            "caseId": "DEMO00001",
            "docKey": "1000-5100000123-2026"
          },
          "status": "pending",
          "createdAt": 1795000000
        },
        "x-parser-schema-id": "HitlRequestRecord"
      }
    },
    "hitlSession": {
      "pattern": "hitl:session:{sessionId}",
      "writtenBy": "aura",
      "ttlSeconds": 3600,
      "schema": {
        "type": "object",
        "description": "Redis key `hitl:session:{sessionId}` (60 min).",
        "required": [
          "sessionId",
          "requestId",
          "userId",
          "tenantId"
        ],
        "properties": {
          "sessionId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "requestId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "userId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "tenantId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId"
        },
        "example": {
          "sessionId": "sess-2b81d4",
          "requestId": "req-7f3a9c",
          "userId": "requester",
          "tenantId": "acme"
        },
        "x-parser-schema-id": "HitlSessionRecord"
      }
    },
    "hitlSignal": {
      "pattern": "hitl:signal:{sessionId}",
      "writtenBy": "main",
      "ttlSeconds": 300,
      "schema": {
        "type": "object",
        "description": "Published on `hitl:channel:{sessionId}` and stored at `hitl:signal:{sessionId}` (5 min).",
        "oneOf": [
          {
            "type": "object",
            "required": [
              "type",
              "requestId",
              "status",
              "timestamp"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "approval",
                "x-parser-schema-id": "<anonymous-schema-2>"
              },
              "requestId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "status": {
                "type": "string",
                "const": "approved",
                "x-parser-schema-id": "<anonymous-schema-3>"
              },
              "timestamp": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt"
            },
            "example": {
              "type": "approval",
              "requestId": "req-7f3a9c",
              "status": "approved",
              "timestamp": 1795000100
            },
            "x-parser-schema-id": "HitlApprovalSignal"
          },
          {
            "type": "object",
            "required": [
              "type",
              "requestId",
              "status",
              "reason",
              "timestamp"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "rejection",
                "x-parser-schema-id": "<anonymous-schema-4>"
              },
              "requestId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "status": {
                "type": "string",
                "const": "rejected",
                "x-parser-schema-id": "<anonymous-schema-5>"
              },
              "reason": {
                "type": "string",
                "maxLength": 1000,
                "x-parser-schema-id": "<anonymous-schema-6>"
              },
              "timestamp": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt"
            },
            "example": {
              "type": "rejection",
              "requestId": "req-7f3a9c",
              "status": "rejected",
              "reason": "Not a duplicate",
              "timestamp": 1795000100
            },
            "x-parser-schema-id": "HitlRejectionSignal"
          }
        ],
        "discriminator": {
          "propertyName": "type",
          "mapping": {
            "approval": "#/components/schemas/HitlApprovalSignal",
            "rejection": "#/components/schemas/HitlRejectionSignal"
          }
        },
        "x-parser-schema-id": "HitlSignal"
      }
    },
    "auraAgentStream": {
      "pattern": "aura:stream:{streamId}",
      "writtenBy": "aura",
      "type": "stream",
      "ttlSeconds": 3600,
      "description": "Event log of one agent SSE stream (Redis Stream). Entry ids are `0-{seq}` (XADD `0-*`),\nso the SSE id `{streamId}:{seq}` names the entry; fields `e` (event name, or `__done`\nfor the final `[DONE]`) and `d` (the validated one-line JSON). TTL refreshed on append.\n"
    },
    "auraAgentRun": {
      "pattern": "aura:run:{streamId}",
      "writtenBy": "aura",
      "ttlSeconds": 3600,
      "description": "The state of one agent run (owner tenant, phase, the HITL wait it is in).",
      "schema": {
        "type": "object",
        "description": "Redis key `aura:run:{streamId}`: one agent run, so any Aura instance can serve its resume or continue it.",
        "required": [
          "streamId",
          "tenantId",
          "userId",
          "caseId",
          "phase",
          "createdAt"
        ],
        "properties": {
          "streamId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "tenantId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "userId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "caseId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "docKey": {
            "type": "string",
            "maxLength": 128
          },
          "phase": {
            "type": "string",
            "enum": [
              "running",
              "hitl_wait",
              "finished"
            ],
            "x-parser-schema-id": "AuraRunPhase"
          },
          "createdAt": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
          "hitl": {
            "type": "object",
            "required": [
              "requestId",
              "sessionId",
              "actionType",
              "expiresAt"
            ],
            "properties": {
              "requestId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "sessionId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "actionType": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64
              },
              "expiresAt": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt"
            },
            "x-parser-schema-id": "AuraHitlWait"
          }
        },
        "example": {
          "streamId": "stream-1a2b",
          "tenantId": "acme",
          "userId": "requester",
          "caseId": "DEMO00001",
          "phase": "hitl_wait",
          "createdAt": 1795000000,
          "hitl": {
            "requestId": "req-7f3a9c",
            "sessionId": "sess-2b81d4",
            "actionType": "PAYMENT_BLOCK",
            "expiresAt": 1795000300
          }
        },
        "x-parser-schema-id": "AuraAgentRunRecord"
      }
    },
    "auraRunLease": {
      "pattern": "aura:lease:{streamId}",
      "writtenBy": "aura",
      "ttlSeconds": 10,
      "description": "The Aura instance that currently drives the run (value = instance id), renewed while it runs; when it lapses another instance may take the run over. It also fences the run's stream log - an append is one script that checks this key first, so an instance paused past its lease cannot write to a run another instance now drives."
    },
    "auraAgentRunsLive": {
      "pattern": "aura:agent-runs:live",
      "writtenBy": "aura",
      "type": "zset",
      "ttlSeconds": 0,
      "description": "Index of the agent runs that are not finished: member = streamId, score = when its lease\nlapses (Redis server time, ms). Every instance's sweeper claims members whose score has\npassed (SET NX on the run's lease, so one claimer wins) and continues those runs, so a run\ngoes on even when no client reconnects. A graceful shutdown sets the score to 0 (adopt at\nonce). Members leave when the run is finished. No expiry (0): members are removed explicitly.\n"
    },
    "auraAgentJob": {
      "pattern": "aura:agent-job:{streamId}",
      "writtenBy": "aura",
      "ttlSeconds": 3600,
      "description": "The request an agent run was started with, written in the same MULTI as its run record, so another instance can re-drive a run whose owner stopped before the HITL wait (events already logged are not written again).",
      "schema": {
        "type": "object",
        "description": "Redis key `aura:agent-job:{streamId}`: what an agent run was started with, so any instance can re-drive a run whose owner stopped before its HITL wait.",
        "required": [
          "streamId",
          "prompt",
          "context"
        ],
        "properties": {
          "streamId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "prompt": {
            "type": "string",
            "minLength": 1,
            "maxLength": 20000,
            "example": "Review case DEMO00001.",
            "x-parser-schema-id": "Prompt"
          },
          "context": {
            "type": "object",
            "description": "A free-form JSON object.",
            "additionalProperties": true,
            "x-parser-schema-id": "JsonObject"
          }
        },
        "example": {
          "streamId": "stream-1a2b",
          "prompt": "Review case DEMO00001",
          "context": {
            "caseId": "DEMO00001"
          }
        },
        "x-parser-schema-id": "AuraAgentJobRecord"
      }
    },
    "auraAnalysisLease": {
      "pattern": "aura:analysis-lease:{runId}",
      "writtenBy": "aura",
      "ttlSeconds": 10,
      "description": "The Aura instance that currently drives an analysis run (value = instance id); like `auraRunLease` (including the fencing of the run's stream log), but runIds are chosen by clients and may look like streamIds."
    },
    "auraAnalysisRunsLive": {
      "pattern": "aura:analysis-runs:live",
      "writtenBy": "aura",
      "type": "zset",
      "ttlSeconds": 0,
      "description": "Index of analysis runs not finished yet (member = runId, score = lease expiry in ms); swept like `auraAgentRunsLive`. No expiry (0)."
    },
    "auraAnalysisJob": {
      "pattern": "aura:analysis-job:{runId}",
      "writtenBy": "aura",
      "ttlSeconds": 86400,
      "description": "The request an analysis run was created with, written atomically with the run, so another instance can re-drive the run if its owner dies.",
      "schema": {
        "type": "object",
        "description": "Redis key `aura:analysis-job:{runId}`: what an analysis run was asked to do, so any instance can re-drive it.",
        "required": [
          "runId",
          "tenantId",
          "caseId",
          "request"
        ],
        "properties": {
          "runId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "tenantId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "caseId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "request": {
            "type": "object",
            "required": [
              "runId",
              "evidence"
            ],
            "properties": {
              "caseId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "runId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "mode": {
                "type": "string",
                "enum": [
                  "FULL",
                  "QUICK"
                ],
                "default": "FULL",
                "x-parser-schema-id": "AnalysisMode"
              },
              "requestedBy": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "evidence": {
                "type": "object",
                "properties": {
                  "evidence": {
                    "type": "array",
                    "items": "$ref:$.x-redis-keys.auraAgentJob.schema.properties.context"
                  },
                  "ragRefs": {
                    "type": "array",
                    "items": "$ref:$.x-redis-keys.auraAgentJob.schema.properties.context"
                  },
                  "document": {
                    "type": "object",
                    "properties": {
                      "header": "$ref:$.x-redis-keys.auraAgentJob.schema.properties.context",
                      "items": {
                        "type": "array",
                        "items": "$ref:$.x-redis-keys.auraAgentJob.schema.properties.context"
                      },
                      "docKey": {
                        "type": "string",
                        "maxLength": 128
                      }
                    },
                    "x-parser-schema-id": "EvidenceDocument"
                  },
                  "openItems": {
                    "type": "array",
                    "items": "$ref:$.x-redis-keys.auraAgentJob.schema.properties.context"
                  },
                  "partyIds": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "lineage": "$ref:$.x-redis-keys.auraAgentJob.schema.properties.context",
                  "policies": {
                    "type": "array",
                    "items": "$ref:$.x-redis-keys.auraAgentJob.schema.properties.context"
                  },
                  "doc_id": {
                    "description": "An identifier sent as a string or a number; receivers normalise it to a string.",
                    "anyOf": [
                      "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
                      {
                        "type": "integer",
                        "minimum": 0
                      }
                    ],
                    "example": 5100000123,
                    "x-parser-schema-id": "IdLike"
                  },
                  "item_id": "$ref:$.x-redis-keys.auraAnalysisJob.schema.properties.request.properties.evidence.properties.doc_id"
                },
                "x-parser-schema-id": "AnalysisEvidence"
              },
              "options": "$ref:$.x-redis-keys.auraAgentJob.schema.properties.context",
              "body_evidence": {
                "type": "object",
                "description": "Names the document line the analysis should look at first.",
                "properties": {
                  "doc_id": "$ref:$.x-redis-keys.auraAnalysisJob.schema.properties.request.properties.evidence.properties.doc_id",
                  "item_id": "$ref:$.x-redis-keys.auraAnalysisJob.schema.properties.request.properties.evidence.properties.doc_id"
                },
                "x-parser-schema-id": "BodyEvidence"
              }
            },
            "x-parser-schema-id": "AnalysisRunRequest"
          }
        },
        "x-parser-schema-id": "AuraAnalysisJobRecord"
      }
    },
    "auraActionRecorded": {
      "pattern": "aura:action-recorded:{requestId}",
      "writtenBy": "aura",
      "ttlSeconds": 86400,
      "description": "Set (NX) atomically with the CASE_ACTION publish of a decision, so one decision gives one notification whether it is recorded automatically or by POST /aura/action/record."
    },
    "auraFeedbackPending": {
      "pattern": "aura:feedback:pending:{logId}",
      "writtenBy": "aura",
      "type": "zset",
      "ttlSeconds": 0,
      "description": "HITL feedback lines recorded but not yet confirmed written to feedback log `logId`\n(`AURA_FEEDBACK_LOG_ID`, shared by the instances that write one log). A line is added in\nthe same script as the once-only marker and the CASE_ACTION publish, and removed once it\nis written; member = the line, score = when another instance may write it instead (Redis\ntime, ms). So a crash between the publish and the write loses no line: a sweeper writes\nit (at least once; the line's `request_id` is its idempotency key). No expiry (0).\n",
      "schema": {
        "type": "object",
        "description": "One line of the HITL feedback log (JSONL, written after each decision); also a member of `aura:feedback:pending:{logId}` until it is written.",
        "required": [
          "event",
          "case_id",
          "request_id",
          "executor_id",
          "action_type",
          "approved",
          "comment",
          "doc_key",
          "at"
        ],
        "properties": {
          "event": {
            "type": "string",
            "const": "hitl_feedback"
          },
          "case_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128
          },
          "request_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "executor_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128
          },
          "action_type": {
            "type": "string",
            "enum": [
              "APPROVE",
              "REJECT",
              "TIMEOUT"
            ]
          },
          "approved": {
            "type": "boolean"
          },
          "comment": {
            "type": [
              "string",
              "null"
            ]
          },
          "doc_key": {
            "type": [
              "string",
              "null"
            ]
          },
          "at": {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601 / RFC 3339 date-time with an explicit offset (`Z` or `+hh:mm`).",
            "pattern": "^.*(Z|[+-][0-9]{2}:[0-9]{2})$",
            "example": "2026-11-22T09:00:00.000Z",
            "x-parser-schema-id": "IsoTimestamp"
          }
        },
        "example": {
          "event": "hitl_feedback",
          "case_id": "DEMO00001",
          "request_id": "req-7f3a9c",
          "executor_id": "approver",
          "action_type": "APPROVE",
          "approved": true,
          "comment": null,
          "doc_key": "1000-5100000123-2026",
          "at": "2026-11-22T09:00:00.000Z"
        },
        "x-parser-schema-id": "HitlFeedbackLine"
      }
    },
    "auraAnalysisStream": {
      "pattern": "aura:analysis-stream:{runId}",
      "writtenBy": "aura",
      "type": "stream",
      "ttlSeconds": 86400,
      "description": "Event log of one analysis run's SSE stream; same entry layout as `auraAgentStream`."
    },
    "auraAnalysisRun": {
      "pattern": "aura:analysis-run:{runId}",
      "writtenBy": "aura",
      "ttlSeconds": 86400,
      "description": "Status and result of one analysis run (idempotent per runId).",
      "schema": {
        "type": "object",
        "required": [
          "runId",
          "caseId",
          "tenantId",
          "status",
          "createdAt"
        ],
        "properties": {
          "runId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "caseId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "tenantId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "status": {
            "type": "string",
            "enum": [
              "ACCEPTED",
              "RUNNING",
              "COMPLETED",
              "FAILED"
            ],
            "x-parser-schema-id": "AnalysisRunState"
          },
          "createdAt": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
          "updatedAt": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
          "streamUrl": {
            "type": "string"
          },
          "result": {
            "type": "object",
            "required": [
              "score",
              "severity",
              "summary",
              "proposals",
              "citations"
            ],
            "properties": {
              "score": {
                "type": "number",
                "minimum": 0,
                "maximum": 1
              },
              "severity": {
                "type": "string",
                "enum": [
                  "LOW",
                  "MEDIUM",
                  "HIGH"
                ],
                "x-parser-schema-id": "Severity"
              },
              "summary": {
                "type": "string"
              },
              "proposals": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": [
                    "type",
                    "riskLevel",
                    "rationale",
                    "requiresApproval",
                    "payload"
                  ],
                  "properties": {
                    "type": {
                      "type": "string",
                      "enum": [
                        "PAYMENT_BLOCK",
                        "REQUEST_INFO"
                      ],
                      "x-parser-schema-id": "ProposalType"
                    },
                    "riskLevel": "$ref:$.x-redis-keys.auraAnalysisRun.schema.properties.result.properties.severity",
                    "rationale": {
                      "type": "string"
                    },
                    "requiresApproval": {
                      "type": "boolean"
                    },
                    "payload": "$ref:$.x-redis-keys.auraAgentJob.schema.properties.context"
                  },
                  "x-parser-schema-id": "RunProposalEvent"
                }
              },
              "citations": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": [
                    "kind",
                    "ref"
                  ],
                  "properties": {
                    "kind": {
                      "type": "string",
                      "enum": [
                        "rule",
                        "document_line",
                        "rag_chunk"
                      ]
                    },
                    "ref": {
                      "type": "string"
                    },
                    "text": {
                      "type": "string"
                    }
                  },
                  "x-parser-schema-id": "Citation"
                }
              }
            },
            "x-parser-schema-id": "AnalysisResult"
          },
          "error": {
            "type": "object",
            "required": [
              "message",
              "stage"
            ],
            "properties": {
              "message": {
                "type": "string"
              },
              "stage": {
                "type": "string"
              }
            },
            "x-parser-schema-id": "RunError"
          }
        },
        "x-parser-schema-id": "AnalysisRunStatus"
      }
    },
    "workbenchOutbox": {
      "pattern": "workbench:outbox",
      "writtenBy": "aura",
      "type": "stream",
      "ttlSeconds": 0,
      "description": "Every NOTIFICATION published on a `workbench:*` channel, appended in the same MULTI (or\nscript) as its PUBLISH: fields `c` (the channel) and `m` (the message, exactly as\npublished). Pub/sub keeps nothing, so a subscriber that was disconnected, or a backend\nthat was down, reads what it missed here: the backend reads on from its cursor after\nevery (re)subscription and every few seconds, and its dedupe keys make a message seen\nboth ways count once. Trimmed to about 10,000 entries (XADD MAXLEN ~). No expiry (0).\n"
    },
    "ragChunks": {
      "pattern": "aura:rag:{tenantId}:chunks",
      "writtenBy": "aura",
      "type": "hash",
      "ttlSeconds": 0,
      "description": "A tenant's retrieval chunks; field = chunk id, value = one record. No expiry (0).",
      "schema": {
        "type": "object",
        "description": "One retrieval chunk (field of `aura:rag:{tenantId}:chunks`).",
        "required": [
          "chunkId",
          "documentId",
          "title",
          "text",
          "seq"
        ],
        "properties": {
          "chunkId": {
            "type": "string",
            "minLength": 1,
            "maxLength": 160
          },
          "documentId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "title": {
            "type": "string"
          },
          "label": {
            "type": "string",
            "description": "Where in the document: `제2조 ①`, `part 3`."
          },
          "text": {
            "type": "string"
          },
          "seq": {
            "type": "integer",
            "minimum": 0
          }
        },
        "x-parser-schema-id": "RagChunkRecord"
      }
    },
    "ragDocuments": {
      "pattern": "aura:rag:{tenantId}:documents",
      "writtenBy": "aura",
      "type": "hash",
      "ttlSeconds": 0,
      "description": "A tenant's ingested documents; field = document id, value = one record. No expiry (0).",
      "schema": {
        "type": "object",
        "description": "One ingested document (field of `aura:rag:{tenantId}:documents`).",
        "required": [
          "documentId",
          "title",
          "kind",
          "chunks",
          "ingestedAt"
        ],
        "properties": {
          "documentId": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
          "title": {
            "type": "string"
          },
          "kind": {
            "type": "string",
            "enum": [
              "regulation",
              "text"
            ],
            "x-parser-schema-id": "RagDocumentKind"
          },
          "chunks": {
            "type": "integer",
            "minimum": 0
          },
          "ingestedAt": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt"
        },
        "x-parser-schema-id": "RagDocumentRecord"
      }
    },
    "ragVersion": {
      "pattern": "aura:rag:{tenantId}:version",
      "writtenBy": "aura",
      "ttlSeconds": 0,
      "description": "Counter bumped on every ingest, so each instance knows when to rebuild its search index. No expiry (0)."
    }
  },
  "x-redis-patterns": {
    "workbench": {
      "pattern": "workbench:*",
      "description": "The main service subscribes to every workbench channel with this pattern."
    }
  },
  "channels": {
    "hitlChannel": {
      "address": "hitl:channel:{sessionId}",
      "title": "HITL decision channel",
      "description": "The backend publishes the decision of a HITL request here; the Aura run waiting on that session resumes.",
      "parameters": {
        "sessionId": {
          "description": "The HITL session of one agent stream (an Identifier)."
        }
      },
      "messages": {
        "hitlApproval": {
          "name": "HitlApprovalSignal",
          "title": "HITL approval",
          "payload": "$ref:$.x-redis-keys.hitlSignal.schema.oneOf[0]",
          "examples": [
            {
              "payload": {
                "type": "approval",
                "requestId": "req-7f3a9c",
                "status": "approved",
                "timestamp": 1795000100
              }
            }
          ],
          "x-parser-unique-object-id": "hitlApproval"
        },
        "hitlRejection": {
          "name": "HitlRejectionSignal",
          "title": "HITL rejection",
          "payload": "$ref:$.x-redis-keys.hitlSignal.schema.oneOf[1]",
          "examples": [
            {
              "payload": {
                "type": "rejection",
                "requestId": "req-7f3a9c",
                "status": "rejected",
                "reason": "Not a duplicate",
                "timestamp": 1795000100
              }
            }
          ],
          "x-parser-unique-object-id": "hitlRejection"
        }
      },
      "x-parser-unique-object-id": "hitlChannel"
    },
    "caseAction": {
      "address": "workbench:case:action",
      "title": "Case action notifications",
      "x-env": "CASE_ACTION_REDIS_CHANNEL",
      "messages": {
        "caseAction": {
          "name": "CaseActionNotification",
          "title": "CASE_ACTION notification",
          "payload": {
            "type": "object",
            "description": "Published on `workbench:case:action` when a decision is made or a HITL wait times out.",
            "required": [
              "type",
              "category",
              "message",
              "timestamp",
              "tenant_id",
              "case_id",
              "request_id",
              "executor_id",
              "action_type",
              "approved",
              "status_code"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "NOTIFICATION",
                "x-parser-schema-id": "<anonymous-schema-7>"
              },
              "category": {
                "type": "string",
                "const": "CASE_ACTION",
                "x-parser-schema-id": "<anonymous-schema-8>"
              },
              "message": {
                "type": "string",
                "enum": [
                  "조치 승인됨",
                  "조치 거절됨",
                  "조치 보류됨"
                ],
                "x-parser-schema-id": "<anonymous-schema-9>"
              },
              "timestamp": "$ref:$.x-redis-keys.auraFeedbackPending.schema.properties.at",
              "tenant_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "case_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "request_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "executor_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "action_type": {
                "type": "string",
                "enum": [
                  "APPROVE",
                  "REJECT",
                  "TIMEOUT"
                ],
                "x-parser-schema-id": "CaseActionType"
              },
              "approved": {
                "type": "boolean",
                "x-parser-schema-id": "<anonymous-schema-10>"
              },
              "status_code": {
                "type": "string",
                "enum": [
                  "APPROVED",
                  "REJECTED",
                  "HOLD"
                ],
                "x-parser-schema-id": "CaseActionStatusCode"
              },
              "doc_key": {
                "type": "string",
                "maxLength": 128,
                "x-parser-schema-id": "<anonymous-schema-11>"
              },
              "history_id": {
                "type": [
                  "integer",
                  "string"
                ],
                "description": "Optional; set when the backend publishes.",
                "x-parser-schema-id": "<anonymous-schema-12>"
              },
              "fi_doc_updated": {
                "type": [
                  "integer",
                  "boolean"
                ],
                "description": "Optional; set when the backend publishes.",
                "x-parser-schema-id": "<anonymous-schema-13>"
              }
            },
            "example": {
              "type": "NOTIFICATION",
              "category": "CASE_ACTION",
              "message": "조치 승인됨",
              "timestamp": "2026-02-11T12:00:00.000000+00:00",
              "tenant_id": "acme",
              "case_id": "DEMO00001",
              "request_id": "req-7f3a9c",
              "executor_id": "approver",
              "action_type": "APPROVE",
              "approved": true,
              "status_code": "APPROVED"
            },
            "x-parser-schema-id": "CaseActionNotification"
          },
          "examples": [
            {
              "payload": {
                "type": "NOTIFICATION",
                "category": "CASE_ACTION",
                "message": "조치 보류됨",
                "timestamp": "2026-11-22T09:05:00Z",
                "tenant_id": "acme",
                "case_id": "DEMO00001",
                "request_id": "req-7f3a9c",
                "executor_id": "system",
                "action_type": "TIMEOUT",
                "approved": false,
                "status_code": "HOLD"
              }
            }
          ],
          "x-parser-unique-object-id": "caseAction"
        }
      },
      "x-parser-unique-object-id": "caseAction"
    },
    "ragStatus": {
      "address": "workbench:rag:status",
      "title": "RAG status notifications",
      "x-env": "WORKBENCH_RAG_STATUS_CHANNEL",
      "messages": {
        "ragStatus": {
          "name": "RagStatusNotification",
          "title": "RAG_STATUS notification",
          "payload": {
            "type": "object",
            "description": "Published on `workbench:rag:status` when a document has been ingested.",
            "required": [
              "type",
              "category",
              "message",
              "timestamp",
              "tenant_id",
              "rag_document_id",
              "chunks_added"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "NOTIFICATION",
                "x-parser-schema-id": "<anonymous-schema-14>"
              },
              "category": {
                "type": "string",
                "const": "RAG_STATUS",
                "x-parser-schema-id": "<anonymous-schema-15>"
              },
              "message": {
                "type": "string",
                "const": "학습 완료",
                "x-parser-schema-id": "<anonymous-schema-16>"
              },
              "timestamp": "$ref:$.x-redis-keys.auraFeedbackPending.schema.properties.at",
              "tenant_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "rag_document_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "chunks_added": {
                "type": "integer",
                "minimum": 0,
                "x-parser-schema-id": "<anonymous-schema-17>"
              }
            },
            "example": {
              "type": "NOTIFICATION",
              "category": "RAG_STATUS",
              "message": "학습 완료",
              "timestamp": "2026-11-22T09:00:00Z",
              "tenant_id": "acme",
              "rag_document_id": "rag-payment-rules",
              "chunks_added": 12
            },
            "x-parser-schema-id": "RagStatusNotification"
          },
          "examples": [
            {
              "payload": {
                "type": "NOTIFICATION",
                "category": "RAG_STATUS",
                "message": "학습 완료",
                "timestamp": "2026-11-22T09:00:00Z",
                "tenant_id": "acme",
                "rag_document_id": "rag-payment-rules",
                "chunks_added": 12
              }
            }
          ],
          "x-parser-unique-object-id": "ragStatus"
        }
      },
      "x-parser-unique-object-id": "ragStatus"
    },
    "hitlRequest": {
      "address": "workbench:hitl:request",
      "title": "HITL request changes (the approvals inbox)",
      "description": "Created (Aura), approved/rejected (main, in its decision script), expired (Aura's timeout); appended to the workbench outbox in the same script as the PUBLISH.",
      "x-env": "WORKBENCH_HITL_REQUEST_CHANNEL",
      "messages": {
        "hitlRequest": {
          "name": "HitlRequestNotification",
          "title": "HITL_REQUEST notification",
          "payload": {
            "type": "object",
            "description": "Published on `workbench:hitl:request` whenever a HITL request changes: created (Aura),\napproved or rejected (main, in its decision script), expired (Aura's timeout). Each\nmessage carries the whole item, so the receiver can apply them in any order (a status\nonly ever leaves `pending`).\n",
            "required": [
              "type",
              "category",
              "message",
              "timestamp",
              "tenant_id",
              "request_id",
              "session_id",
              "status",
              "action_type",
              "requested_by",
              "requested_at"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "NOTIFICATION",
                "x-parser-schema-id": "<anonymous-schema-18>"
              },
              "category": {
                "type": "string",
                "const": "HITL_REQUEST",
                "x-parser-schema-id": "<anonymous-schema-19>"
              },
              "message": {
                "type": "string",
                "description": "The proposal's summary (the HITL `message`).",
                "x-parser-schema-id": "<anonymous-schema-20>"
              },
              "timestamp": "$ref:$.x-redis-keys.auraFeedbackPending.schema.properties.at",
              "tenant_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "request_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "session_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "status": "$ref:$.x-redis-keys.hitlRequest.schema.properties.status",
              "action_type": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "x-parser-schema-id": "<anonymous-schema-21>"
              },
              "case_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "doc_key": {
                "type": "string",
                "maxLength": 128,
                "x-parser-schema-id": "<anonymous-schema-22>"
              },
              "stream_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "requested_by": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "requested_at": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
              "expires_at": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
              "decided_by": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "decided_at": "$ref:$.x-redis-keys.hitlRequest.schema.properties.createdAt",
              "reason": {
                "type": "string",
                "maxLength": 1000,
                "x-parser-schema-id": "<anonymous-schema-23>"
              }
            },
            "example": {
              "type": "NOTIFICATION",
              "category": "HITL_REQUEST",
              "message": "Approval needed: PAYMENT_BLOCK on case DEMO00001",
              "timestamp": "2026-11-22T09:00:00Z",
              "tenant_id": "acme",
              "request_id": "req-7f3a9c",
              "session_id": "sess-7f3a9c",
              "status": "pending",
              "action_type": "PAYMENT_BLOCK",
              "case_id": "DEMO00001",
              "stream_id": "stream-7f3a9c",
              "requested_by": "requester",
              "requested_at": 1795000000,
              "expires_at": 1795000300
            },
            "x-parser-schema-id": "HitlRequestNotification"
          },
          "examples": [
            {
              "payload": {
                "type": "NOTIFICATION",
                "category": "HITL_REQUEST",
                "message": "Approval needed: PAYMENT_BLOCK on case DEMO00001",
                "timestamp": "2026-11-22T09:00:00Z",
                "tenant_id": "acme",
                "request_id": "req-7f3a9c",
                "session_id": "sess-7f3a9c",
                "status": "pending",
                "action_type": "PAYMENT_BLOCK",
                "case_id": "DEMO00001",
                "stream_id": "stream-7f3a9c",
                "requested_by": "requester",
                "requested_at": 1795000000,
                "expires_at": 1795000300
              }
            }
          ],
          "x-parser-unique-object-id": "hitlRequest"
        }
      },
      "x-parser-unique-object-id": "hitlRequest"
    },
    "alert": {
      "address": "workbench:alert",
      "title": "AI detection alerts",
      "x-env": "WORKBENCH_ALERT_CHANNEL",
      "messages": {
        "aiDetect": {
          "name": "AiDetectNotification",
          "title": "AI_DETECT notification",
          "payload": {
            "type": "object",
            "description": "Published on `workbench:alert` when an analysis ends with severity HIGH.",
            "required": [
              "type",
              "category",
              "message",
              "timestamp",
              "tenant_id",
              "case_id",
              "score",
              "severity"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "NOTIFICATION",
                "x-parser-schema-id": "<anonymous-schema-24>"
              },
              "category": {
                "type": "string",
                "const": "AI_DETECT",
                "x-parser-schema-id": "<anonymous-schema-25>"
              },
              "message": {
                "type": "string",
                "const": "신규 이상 징후 탐지",
                "x-parser-schema-id": "<anonymous-schema-26>"
              },
              "timestamp": "$ref:$.x-redis-keys.auraFeedbackPending.schema.properties.at",
              "tenant_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "case_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "run_id": "$ref:$.x-redis-keys.hitlRequest.schema.properties.requestId",
              "score": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "x-parser-schema-id": "<anonymous-schema-27>"
              },
              "severity": {
                "type": "string",
                "const": "HIGH",
                "x-parser-schema-id": "<anonymous-schema-28>"
              }
            },
            "example": {
              "type": "NOTIFICATION",
              "category": "AI_DETECT",
              "message": "신규 이상 징후 탐지",
              "timestamp": "2026-11-22T09:00:00+09:00",
              "tenant_id": "acme",
              "case_id": "DEMO00003",
              "score": 0.91,
              "severity": "HIGH"
            },
            "x-parser-schema-id": "AiDetectNotification"
          },
          "examples": [
            {
              "payload": {
                "type": "NOTIFICATION",
                "category": "AI_DETECT",
                "message": "신규 이상 징후 탐지",
                "timestamp": "2026-11-22T09:00:00Z",
                "tenant_id": "acme",
                "case_id": "DEMO00003",
                "score": 0.91,
                "severity": "HIGH"
              }
            }
          ],
          "x-parser-unique-object-id": "aiDetect"
        }
      },
      "x-parser-unique-object-id": "alert"
    }
  },
  "operations": {
    "publishHitlSignal": {
      "action": "send",
      "title": "The main service publishes a HITL decision.",
      "x-party": "main",
      "channel": "$ref:$.channels.hitlChannel",
      "messages": [
        "$ref:$.channels.hitlChannel.messages.hitlApproval",
        "$ref:$.channels.hitlChannel.messages.hitlRejection"
      ],
      "x-parser-unique-object-id": "publishHitlSignal"
    },
    "receiveHitlSignal": {
      "action": "receive",
      "title": "Aura receives the decision for the session it waits on.",
      "x-party": "aura",
      "channel": "$ref:$.channels.hitlChannel",
      "messages": [
        "$ref:$.channels.hitlChannel.messages.hitlApproval",
        "$ref:$.channels.hitlChannel.messages.hitlRejection"
      ],
      "x-parser-unique-object-id": "receiveHitlSignal"
    },
    "publishCaseAction": {
      "action": "send",
      "x-party": "aura",
      "channel": "$ref:$.channels.caseAction",
      "messages": [
        "$ref:$.channels.caseAction.messages.caseAction"
      ],
      "x-parser-unique-object-id": "publishCaseAction"
    },
    "receiveCaseAction": {
      "action": "receive",
      "x-party": "main",
      "channel": "$ref:$.channels.caseAction",
      "messages": [
        "$ref:$.channels.caseAction.messages.caseAction"
      ],
      "x-parser-unique-object-id": "receiveCaseAction"
    },
    "publishRagStatus": {
      "action": "send",
      "x-party": "aura",
      "channel": "$ref:$.channels.ragStatus",
      "messages": [
        "$ref:$.channels.ragStatus.messages.ragStatus"
      ],
      "x-parser-unique-object-id": "publishRagStatus"
    },
    "receiveRagStatus": {
      "action": "receive",
      "x-party": "main",
      "channel": "$ref:$.channels.ragStatus",
      "messages": [
        "$ref:$.channels.ragStatus.messages.ragStatus"
      ],
      "x-parser-unique-object-id": "receiveRagStatus"
    },
    "publishHitlRequestAura": {
      "action": "send",
      "title": "Aura publishes a HITL request it created or expired.",
      "x-party": "aura",
      "channel": "$ref:$.channels.hitlRequest",
      "messages": [
        "$ref:$.channels.hitlRequest.messages.hitlRequest"
      ],
      "x-parser-unique-object-id": "publishHitlRequestAura"
    },
    "publishHitlRequestMain": {
      "action": "send",
      "title": "The main service publishes a HITL request it decided.",
      "x-party": "main",
      "channel": "$ref:$.channels.hitlRequest",
      "messages": [
        "$ref:$.channels.hitlRequest.messages.hitlRequest"
      ],
      "x-parser-unique-object-id": "publishHitlRequestMain"
    },
    "receiveHitlRequest": {
      "action": "receive",
      "x-party": "main",
      "channel": "$ref:$.channels.hitlRequest",
      "messages": [
        "$ref:$.channels.hitlRequest.messages.hitlRequest"
      ],
      "x-parser-unique-object-id": "receiveHitlRequest"
    },
    "publishAlert": {
      "action": "send",
      "x-party": "aura",
      "channel": "$ref:$.channels.alert",
      "messages": [
        "$ref:$.channels.alert.messages.aiDetect"
      ],
      "x-parser-unique-object-id": "publishAlert"
    },
    "receiveAlert": {
      "action": "receive",
      "x-party": "main",
      "channel": "$ref:$.channels.alert",
      "messages": [
        "$ref:$.channels.alert.messages.aiDetect"
      ],
      "x-parser-unique-object-id": "receiveAlert"
    }
  },
  "components": {
    "messages": {
      "HitlApproval": "$ref:$.channels.hitlChannel.messages.hitlApproval",
      "HitlRejection": "$ref:$.channels.hitlChannel.messages.hitlRejection",
      "CaseAction": "$ref:$.channels.caseAction.messages.caseAction",
      "RagStatus": "$ref:$.channels.ragStatus.messages.ragStatus",
      "HitlRequest": "$ref:$.channels.hitlRequest.messages.hitlRequest",
      "AiDetect": "$ref:$.channels.alert.messages.aiDetect"
    }
  },
  "x-parser-spec-parsed": true,
  "x-parser-api-version": 3,
  "x-parser-spec-stringified": true
};
    const config = {"show":{"sidebar":true},"sidebar":{"showOperations":"byDefault"}};
    const appRoot = document.getElementById('root');
    AsyncApiStandalone.render(
        { schema, config, }, appRoot
    );
  