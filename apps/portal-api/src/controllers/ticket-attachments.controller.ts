import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import '@fastify/multipart';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { BLOB_STORE, BlobStore, BlobTooLarge } from '@kundportal/attachments';
import { APP_CONFIG, AppConfig, AppError, NotFound, ValidationFailed } from '@kundportal/kernel';
import { Principal } from '@kundportal/identity';
import { OrganisationQueries } from '@kundportal/organisations';
import { AddTicketAttachment, maySee, TicketQueries, TicketTimeline } from '@kundportal/ticketing';
import { CurrentPrincipal } from '../http/auth';
import { CallerService } from '../http/caller.service';
import { IdPipe } from '../http/id.pipe';
import { ticketCaller, visibleTicket } from './tickets.controller';

/** A content type as sent (`type/subtype`, optionally with a charset); anything else is served as bytes. */
function safeContentType(value: string | undefined): string {
  return value && /^[\w.+-]+\/[\w.+-]+(;\s*charset="?[\w.-]+"?)?$/i.test(value.trim()) ? value.trim().toLowerCase() : 'application/octet-stream';
}

/** Errors while reading the form: too large is 413; too many parts, or a broken form, is the caller's 400. */
function multipartError(error: unknown, maxBytes: number): unknown {
  if (error instanceof BlobTooLarge || (error as { code?: string })?.code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError(413, 'PAYLOAD_TOO_LARGE', `Attachments may be at most ${maxBytes} bytes.`).withParams({ context: 'attachment', maxBytes });
  }
  const code = (error as { code?: string })?.code;
  const message = error instanceof Error ? error.message : '';
  // The form itself is broken (no boundary, cut off, too many parts): the caller's mistake.
  if ((typeof code === 'string' && code.startsWith('FST_')) || /multipart|boundary|unexpected end of form|malformed part header/i.test(message)) {
    return ValidationFailed.field('file', 'send one file in the field "file" (multipart/form-data)');
  }
  return error;
}

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets/:id/attachments')
export class TicketAttachmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly callers: CallerService,
    private readonly organisations: OrganisationQueries,
    private readonly tickets: TicketQueries,
    private readonly timelines: TicketTimeline,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({ summary: 'Attach a file of any type to a ticket (who may post messages); 413 over the size limit' })
  async upload(@Param('id', IdPipe) id: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const { caller, ticketCaller: who } = await ticketCaller(this.callers, this.organisations, principal);
    // Refuse before taking any bytes: the ticket must exist for the caller, who must take part in it, and be open.
    const ticket = await this.timelines.current(id);
    if (!ticket || !maySee(ticket, who)) throw new NotFound('ticket');
    if (!request.isMultipart()) throw ValidationFailed.field('file', 'send the file as multipart/form-data in the field "file"');
    const maxBytes = this.config.attachmentMaxBytes;
    const attachmentId = randomUUID();
    type Upload = { name: string; contentType: string; size: number; sha256: string };
    let upload: Upload | null = null;
    const readParts = async (): Promise<Upload | null> => {
      // Parts arrive in order: text fields are skipped, the first `file` is streamed to the store.
      // One byte over the limit reaches the store, which then refuses the whole file.
      for await (const part of request.parts({ limits: { fileSize: maxBytes + 1, files: 1, fields: 10 } })) {
        if (part.type === 'field') continue;
        if (part.fieldname !== 'file' || upload) {
          part.file.resume();
          continue;
        }
        const name = (part.filename || 'attachment').slice(0, 255);
        const contentType = safeContentType(part.mimetype);
        const stored = await this.blobs.put(attachmentId, part.file, { contentType, fileName: name, maxBytes });
        upload = { name, contentType, ...stored };
      }
      return upload;
    };
    try {
      upload = await readParts();
    } catch (error) {
      if (upload) await this.blobs.delete(attachmentId).catch(() => undefined);
      throw multipartError(error, maxBytes);
    }
    if (!upload) throw ValidationFailed.field('file', 'send the file in the field "file"');
    const { name, contentType } = upload;
    const stored = upload;
    try {
      const answer = await this.commands.execute(
        new AddTicketAttachment(id, { attachmentId, name, size: stored.size, contentType, sha256: stored.sha256 }, who, this.callers.context(request, caller)),
      );
      return { id: attachmentId, name, size: stored.size, contentType, position: answer.position };
    } catch (error) {
      // The ticket refused it (closed meanwhile, say): keep no orphan bytes.
      await this.blobs.delete(attachmentId).catch(() => undefined);
      throw error;
    }
  }

  @Get(':attachmentId')
  @ApiOperation({ summary: 'Download an attachment (who may see the ticket), with its content type' })
  async download(
    @Param('id', IdPipe) id: string,
    @Param('attachmentId', IdPipe) attachmentId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ) {
    const { ticketCaller: who } = await ticketCaller(this.callers, this.organisations, principal);
    const ticket = await visibleTicket(this.tickets, id, who);
    const attachment = ticket.attachments.find((a) => a.id === attachmentId);
    const blob = attachment ? await this.blobs.get(attachmentId) : null;
    if (!attachment || !blob) throw new NotFound('attachment');
    // Always a download, never rendered in the API's origin; the name is encoded safely.
    return reply
      .header('content-type', blob.contentType)
      .header('content-length', String(blob.size))
      .header('content-disposition', contentDisposition(attachment.name, { type: 'attachment' }))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(blob.stream);
  }
}

