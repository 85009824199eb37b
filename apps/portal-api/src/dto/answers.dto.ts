import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Answers of the reads the portal web UI uses, declared for the OpenAPI document (the UI's client
 * types are generated from it). Shapes are the contract's (API.md); a field not named here may
 * still be in the answer.
 */
const ROLES = ['administrator', 'orderer', 'attestant', 'signatory'];

export class MyOrganisationDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() organisationNumber!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Array<'administrator' | 'orderer' | 'attestant' | 'signatory'>;
  @ApiProperty() agreementSigned!: boolean;
  @ApiProperty() canOrder!: boolean;
}

export class OrganisationRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class MeDto {
  @ApiProperty({ type: String, nullable: true }) accountId!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) personalNumber!: string | null;
  @ApiProperty() method!: string;
  @ApiProperty() staff!: boolean;
  @ApiProperty() auditor!: boolean;
  @ApiProperty({ enum: ['sv', 'en'], description: 'The language chosen, else the one the request’s Accept-Language prefers' }) language!: 'sv' | 'en';
  @ApiProperty({ description: 'Whether the language was chosen with PUT /me/preferences' }) languageChosen!: boolean;
  @ApiProperty({ type: [MyOrganisationDto], description: 'Active memberships' }) organisations!: MyOrganisationDto[];
  @ApiPropertyOptional({ type: [OrganisationRefDto], description: 'Join requests not yet approved' }) pendingOrganisations?: OrganisationRefDto[];
}

export class BadgeDto {
  @ApiProperty() total!: number;
  @ApiProperty() approvals!: number;
  @ApiProperty() unreadTickets!: number;
  @ApiProperty() agreementsToSign!: number;
  @ApiPropertyOptional() joinRequests?: number;
}

export class NoticeDto {
  @ApiProperty({ enum: ['approval', 'ticket-reply', 'agreement-to-sign'] }) kind!: 'approval' | 'ticket-reply' | 'agreement-to-sign';
  @ApiProperty() refId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() at!: string;
}

export class NotificationsDto {
  @ApiProperty({ type: BadgeDto }) badge!: BadgeDto;
  @ApiProperty({ type: [NoticeDto] }) items!: NoticeDto[];
}

export class PersonRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class AgreementDto {
  @ApiProperty({ enum: ['awaiting-signature', 'signed'] }) status!: 'awaiting-signature' | 'signed';
  @ApiProperty({ type: String, nullable: true }) signedAt!: string | null;
  @ApiProperty({ type: PersonRefDto, nullable: true }) signedBy!: PersonRefDto | null;
}

export class OrganisationDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() organisationNumber!: string;
  @ApiProperty({ type: AgreementDto }) agreement!: AgreementDto;
  @ApiProperty({ type: [String] }) agentOrganisationIds!: string[];
}

export class MemberDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Array<'administrator' | 'orderer' | 'attestant' | 'signatory'>;
}

export class MembersDto {
  @ApiProperty({ type: [MemberDto] }) items!: MemberDto[];
  @ApiProperty({ description: 'How many the whole list holds' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class FeeDto {
  @ApiProperty() amount!: number;
  @ApiProperty() currency!: string;
}

export class OfferingFieldDto {
  @ApiProperty() name!: string;
  @ApiProperty() label!: string;
  @ApiProperty() type!: string;
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
  @ApiPropertyOptional() maxLength?: number;
}

export class OfferingDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: FeeDto }) startupFee!: FeeDto;
  @ApiProperty({ type: [OfferingFieldDto] }) fields!: OfferingFieldDto[];
}

export class ServiceDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [OfferingDto] }) offerings!: OfferingDto[];
}

export class CatalogueDto {
  @ApiProperty({ type: [ServiceDto] }) items!: ServiceDto[];
  @ApiProperty({ description: 'How many the whole list holds' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class OrderSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() organisationId!: string;
  @ApiProperty() organisationName!: string;
  @ApiProperty() offeringId!: string;
  @ApiProperty() offeringName!: string;
  @ApiProperty() status!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty() lastChangedAt!: string;
}

export class OrdersDto {
  @ApiProperty({ type: [OrderSummaryDto] }) items!: OrderSummaryDto[];
  @ApiProperty({ description: 'How many the whole list holds' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class NamedDto {
  @ApiProperty() name!: string;
}

export class SubmitterDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() name!: string;
}

export class OrderStepDto {
  @ApiProperty({ enum: ['agent-approval', 'agent-attestation', 'attestation', 'fulfilment'] }) step!: string;
  @ApiProperty({ type: String, nullable: true }) organisationId!: string | null;
  @ApiProperty({ type: NamedDto }) by!: NamedDto;
  @ApiProperty() at!: string;
  @ApiProperty({ type: String, nullable: true }) method!: string | null;
  @ApiProperty({ enum: ['approved', 'attested', 'rejected', 'fulfilled'] }) outcome!: string;
  @ApiPropertyOptional() reason?: string;
}

export class OrderDto extends OrderSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) viaAgentOrganisationId!: string | null;
  @ApiProperty({ type: SubmitterDto }) submittedBy!: SubmitterDto;
  @ApiProperty({ type: [OrderStepDto] }) steps!: OrderStepDto[];
}

export class ApprovalDto {
  @ApiProperty() orderId!: string;
  @ApiProperty({ enum: ['agent-approval', 'agent-attestation', 'attestation'] }) step!: 'agent-approval' | 'agent-attestation' | 'attestation';
  @ApiProperty() customerOrganisationId!: string;
  @ApiProperty() customerOrganisationName!: string;
  @ApiProperty() offeringName!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ type: NamedDto }) submittedBy!: NamedDto;
}

export class ApprovalsDto {
  @ApiProperty({ type: [ApprovalDto] }) items!: ApprovalDto[];
  @ApiProperty({ description: 'How many the whole list holds' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class TicketSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() number!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() type!: string;
  @ApiProperty() status!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() lastActivityAt!: string;
  @ApiProperty() unread!: boolean;
}

export class TicketsDto {
  @ApiProperty({ type: [TicketSummaryDto] }) items!: TicketSummaryDto[];
  @ApiProperty({ description: 'How many the whole list holds' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class AttachmentDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() size!: number;
  @ApiProperty() contentType!: string;
}

export class AuthorDto {
  @ApiProperty() name!: string;
  @ApiProperty() staff!: boolean;
}

export class TicketMessageAnswerDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: AuthorDto }) author!: AuthorDto;
  @ApiProperty() body!: string;
  @ApiProperty() at!: string;
}

export class TicketPersonDto {
  @ApiProperty({ type: String, nullable: true }) accountId!: string | null;
  @ApiProperty() name!: string;
}

export class TicketDto {
  @ApiProperty() id!: string;
  @ApiProperty() number!: string;
  @ApiProperty() type!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() description!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: TicketPersonDto }) requester!: TicketPersonDto;
  @ApiProperty({ type: [TicketPersonDto] }) collaborators!: TicketPersonDto[];
  @ApiProperty({ type: [TicketMessageAnswerDto] }) messages!: TicketMessageAnswerDto[];
  @ApiProperty({ type: [AttachmentDto] }) attachments!: AttachmentDto[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() lastActivityAt!: string;
}
