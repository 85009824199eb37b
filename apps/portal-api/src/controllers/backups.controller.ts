import { Controller, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig, Clock, CLOCK, DomainError } from '@kundportal/kernel';
import { EmbeddedEventStore, EVENT_STORE, EventStore } from '@kundportal/eventstore';
import { EmbeddedReadStore, READ_STORE, ReadStore } from '@kundportal/readstore';
import { StaffOnly } from '../http/auth';
import { BackupManifest, backUpEmbedded } from '../operations/backup';

/** Staff back up an embedded deployment while it runs; `npm run restore` puts a backup back. */
@ApiTags('operations')
@ApiBearerAuth()
@StaffOnly()
@Controller('admin/backups')
export class BackupsController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Back up the embedded deployment (event log, read models, attachments, secrets) into a new directory under BACKUP_DIR, while it keeps answering (staff); 409 on EventStoreDB/MongoDB, which have their own backups',
  })
  async create(): Promise<{ directory: string; takenAt: string; files: string[] }> {
    if (!(this.events instanceof EmbeddedEventStore) || !(this.reads instanceof EmbeddedReadStore)) {
      throw DomainError.conflict('BACKUP_NOT_EMBEDDED', 'Only the embedded deployment is backed up here; back up EventStoreDB and MongoDB with their own tools.');
    }
    // One at a time: a second request while one runs is told so rather than copying the same files again.
    if (this.running) throw DomainError.conflict('BACKUP_IN_PROGRESS', 'A backup is being made; try again when it is done.');
    const now = this.clock.now();
    const directory = join(this.config.backupDir, `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`);
    this.running = backUpEmbedded(this.events, this.reads, this.config.dataDir, directory, now);
    try {
      return { directory, ...(await this.running) };
    } finally {
      this.running = null;
    }
  }

  private running: Promise<BackupManifest> | null = null;
}
