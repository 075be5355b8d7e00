import type { AiDetectNotification, CaseActionNotification, RagStatusNotification } from '../../../generated/schemas';
import { publishAlert, publishCaseAction, publishRagStatus, type RedisPublisher } from '../../../generated/redis';

export interface NotificationChannels {
  caseAction: string;
  ragStatus: string;
  alert: string;
}

/** Publishes through the generated helpers only (they validate against asyncapi.yaml). */
export class NotificationPublisher {
  constructor(
    private readonly publisher: RedisPublisher,
    readonly channels: NotificationChannels,
  ) {}

  /** `via` lets a caller publish through a narrower port (e.g. the once-only publisher). */
  caseAction(message: CaseActionNotification, via: RedisPublisher = this.publisher): Promise<number> {
    return publishCaseAction(via, message, this.channels.caseAction);
  }

  ragStatus(message: RagStatusNotification): Promise<number> {
    return publishRagStatus(this.publisher, message, this.channels.ragStatus);
  }

  alert(message: AiDetectNotification): Promise<number> {
    return publishAlert(this.publisher, message, this.channels.alert);
  }
}
