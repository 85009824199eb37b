import { sv } from './sv';

/** The shape both languages share: the compiler checks that English has every key Swedish has. */
export interface Resources {
  errors: Record<keyof typeof sv.errors, string>;
  things: Record<keyof typeof sv.things, string>;
  validation: Record<keyof typeof sv.validation, string>;
  validationMessages: Record<string, string>;
  notices: Record<keyof typeof sv.notices, string>;
  mail: Record<string, Record<string, string>>;
}

/** English, the alternative. See `sv.ts` for the keys. */
export const en: Resources = {
  errors: {
    VALIDATION_FAILED: 'The request is not valid.',
    VALIDATION_FAILED_orderDetails: 'The order details do not fit the offering.',
    VALIDATION_FAILED_json: 'The request body is not valid JSON.',
    VALIDATION_FAILED_http: 'The request is not valid HTTP.',
    UNAUTHENTICATED: 'Sign in first.',
    UNAUTHENTICATED_invalidToken: 'The access token is not valid.',
    UNAUTHENTICATED_noSubject: 'The token lacks a subject or sign-in method.',
    UNAUTHENTICATED_invalidPersonalNumber: 'The token has an invalid personnummer.',
    UNAUTHENTICATED_noPerson: 'The token names no person.',
    FORBIDDEN: 'You may not do this.',
    FORBIDDEN_staffOnly: 'Only support staff may do this.',
    FORBIDDEN_staffOrAuditor: 'Only support staff and auditors may do this.',
    FORBIDDEN_auditorsDoNotAct: 'Auditors read orders; they take no part in them.',
    FORBIDDEN_noRoleForStep: 'You do not hold the role for this step of the order.',
    FORBIDDEN_orderersOnly: 'Only the organisation’s orderers may order.',
    FORBIDDEN_staffFulfil: 'Only support staff fulfil orders.',
    FORBIDDEN_signatoryOnly: 'Only the organisation’s signatory may sign the customer agreement.',
    FORBIDDEN_administratorsSetRoles: 'Only the organisation’s administrators may change roles.',
    FORBIDDEN_staffLinkAgents: 'Only support staff may link agents.',
    FORBIDDEN_userLimit: 'Only the organisation’s administrators and staff set its user limit.',
    FORBIDDEN_staffMerge: 'Only support staff merge organisations.',
    FORBIDDEN_staffOnBehalf: 'Only support staff create tickets on behalf of someone.',
    FORBIDDEN_accountFirst: 'Create your account first, or use the open form.',
    FORBIDDEN_ticketParticipants: 'Only the requester, collaborators and staff take part in a ticket.',
    FORBIDDEN_requesterAddsCollaborators: 'Only the requester and staff add collaborators.',
    FORBIDDEN_staffInternalNotes: 'Only support staff write internal notes.',
    FORBIDDEN_staffTicketStatus: 'Only support staff set the status.',
    FORBIDDEN_staffTicketPriority: 'Only support staff set the priority.',
    UNAUTHENTICATED_notEid: 'The token is not from an e-ID sign-in.',
    UNAUTHENTICATED_tooLongLived: 'The access token lives too long.',
    FORBIDDEN_submitterWithdraws: 'Only the orderer who submitted the order may withdraw it.',
    FORBIDDEN_staffCancel: 'Only support staff cancel orders.',
    FORBIDDEN_administratorsApproveJoinRequests: 'Only the organisation’s administrators approve join requests.',
    FORBIDDEN_administratorsDeclineJoinRequests: 'Only the organisation’s administrators decline join requests.',
    FORBIDDEN_administratorsRemoveMembers: 'Only the organisation’s administrators remove members.',
    FORBIDDEN_administratorsInvite: 'Only the organisation’s administrators invite people.',
    FORBIDDEN_administratorsOnly: 'Only the organisation’s administrators may see this.',
    FORBIDDEN_roleToSeeMembers: 'Members with a role in the organisation see its members.',
    FORBIDDEN_roleToSeeOrders: 'Members with a role in the organisation see its orders.',
    FORBIDDEN_staffTicketFilters: 'Only support staff filter tickets by {{filters}}.',
    NOT_FOUND: '{{thing}} was not found.',
    METHOD_NOT_ALLOWED: 'That method is not allowed here.',
    NOT_ACCEPTABLE: 'The answer cannot be given in the format asked for.',
    CONFLICT: 'The request conflicts with the current state.',
    PAYLOAD_TOO_LARGE: 'The request is too large.',
    PAYLOAD_TOO_LARGE_attachment: 'Attachments may be at most {{maxBytes}} bytes.',
    URI_TOO_LONG: 'The address is too long.',
    UNSUPPORTED_MEDIA_TYPE: 'That content type is not supported.',
    TOO_MANY_REQUESTS: 'Too many attempts; wait a while and try again.',
    TOO_MANY_REQUESTS_address: 'Too many requests from your address; try again in {{seconds}} s.',
    REQUEST_HEADER_FIELDS_TOO_LARGE: 'The request headers (or URL) are too large.',
    SERVICE_UNAVAILABLE: 'The service is not available just now; try again in a while.',
    READ_MODEL_BEHIND: 'The read models have not reached position {{position}} in time; try again.',
    BAD_REQUEST: 'The request is not valid.',
    INTERNAL_ERROR: 'Something went wrong.',
    CONCURRENCY_CONFLICT: 'Too many concurrent changes; try again.',
    RESERVATION_HELD: 'That {{kind}} is already in use.',
    IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was used for a different request.',
    IDEMPOTENCY_KEY_IN_USE: 'A request with this Idempotency-Key is still being handled.',
    PROJECTION_NOT_PARKED: 'The projection is {{state}}, not parked.',
    INVALID_CREDENTIALS: 'The e-mail or password is wrong.',
    REGISTRATION_PENDING: 'Your registration is waiting for approval by support.',
    INVALID_TOKEN: 'The link is not valid (used, expired or replaced by a newer one).',
    ACCOUNT_EXISTS: 'The account exists already.',
    ACCOUNT_EXISTS_own: 'You have an account already.',
    ACCOUNT_EXISTS_email: 'An account with that e-mail exists already.',
    ACCOUNT_EXISTS_emailOrRegistration: 'An account or registration with that e-mail exists already.',
    ACCOUNT_EXISTS_username: 'An account with that username was imported already.',
    ACCOUNT_EXISTS_otherAccount: 'You have another account already; ask support to merge them.',
    EID_METHOD_NOT_ALLOWED: 'An account cannot be created with this e-ID; sign in with BankID or Freja eID.',
    EID_METHOD_NOT_ALLOWED_verify: 'Verify your account after signing in with BankID or Freja eID.',
    NO_PASSWORD: 'The account signs in with e-ID.',
    PRIVATE_EMAIL_DOMAIN: 'Register with your employer’s e-mail address, not a private one.',
    ORGANISATION_NOT_REGISTERED: 'The organisation is not registered.',
    ORGANISATION_NOT_REGISTERED_apply: 'The organisation is not registered; submit a customer application first.',
    ORGANISATION_USER_LIMIT_REACHED: 'The organisation allows at most {{limit}} users.',
    REGISTRATION_EXISTS: 'The registration exists already.',
    REGISTRATION_NOT_PENDING: 'The registration is {{status}} already.',
    APPLICATION_EXISTS: 'The application exists already.',
    APPLICATION_NOT_PENDING: 'The application is {{status}} already.',
    TOO_MANY_APPLICATIONS: 'This organisation has applied too many times.',
    ORGANISATION_ALREADY_REGISTERED: 'The organisation is registered or has an application already.',
    ORGANISATION_MERGED: 'This organisation record was merged into {{into}}; use that one.',
    ORGANISATION_MERGED_target: 'That record was itself merged into another.',
    INVALID_MERGE: 'An organisation cannot be merged into itself.',
    AGREEMENT_ALREADY_SIGNED: 'The customer agreement is signed already.',
    AGREEMENT_NOT_SIGNED: 'The customer agreement must be signed before ordering.',
    LAST_ADMINISTRATOR: 'The organisation must keep at least one administrator.',
    AGENT_NOT_REGISTERED: 'The agent organisation is not registered.',
    INVALID_AGENT: 'An organisation cannot be its own agent.',
    AGENT_ALREADY_LINKED: 'That agent is linked already.',
    NOT_AN_AGENT_OF_ORGANISATION: 'That organisation is not an agent of yours.',
    NO_ATTESTANT: 'The organisation has no attestant to attest the order; an administrator must appoint one.',
    OFFERING_NOT_AVAILABLE: 'That offering is not in the catalogue.',
    ORDER_EXISTS: 'The order exists already.',
    ORDER_STATE_CONFLICT: 'The order is {{status}}; it is not your turn.',
    ORDER_STATE_CONFLICT_fulfil: 'The order is {{status}}; only an attested order can be fulfilled.',
    INVALID_SERVICE_ID: 'A service id is lower-case letters and digits joined by single hyphens.',
    SERVICE_ALREADY_EXISTS: 'The service {{serviceId}} exists already.',
    INVALID_OFFERING_ID: 'An offering id of this service starts with "{{serviceId}}-".',
    OFFERING_ID_TAKEN: 'The offering id {{offeringId}} belongs to the service {{serviceId}}.',
    OFFERING_NOT_ACTIVE: 'The offering {{offeringId}} is not in the catalogue (unknown or retired).',
    NOT_A_REGISTERED_ACCOUNT: 'Only registered accounts can be on a ticket.',
    UNKNOWN_SERVICE: 'No such service in the catalogue.',
    UNKNOWN_ATTACHMENT: 'Attach files to the ticket before naming them in a message.',
    TICKET_EXISTS: 'The ticket exists already.',
    TICKET_CLOSED: 'The ticket is closed.',
    ALREADY_ON_TICKET: 'That person is on the ticket already.',
    INVALID_TOKEN_invitation: 'The invitation is not valid (used, expired or withdrawn).',
    ORDER_STATE_CONFLICT_withdraw: 'The order is {{status}}; only a waiting order can be withdrawn.',
    ORDER_STATE_CONFLICT_cancel: 'The order is {{status}}; only an order not yet fulfilled can be cancelled.',
    ORGANISATION_MERGED_agent: 'The agent’s record was merged into {{into}}; link that one.',
    AGENT_CANNOT_ACT: 'The agent organisation cannot handle the order; it must appoint someone with the role first.',
    AGENT_CANNOT_ACT_noOrderer: 'The agent organisation has no orderer to handle the order; it must appoint one first.',
    AGENT_CANNOT_ACT_noAttestant: 'The agent organisation has no attestant to handle the order; it must appoint one first.',
    AGENT_CANNOT_ACT_noOrdererNorAttestant: 'The agent organisation has no orderer and no attestant to handle the order; it must appoint them first.',
    BACKUP_IN_PROGRESS: 'A backup is being made; try again when it is done.',
    BACKUP_NOT_EMBEDDED: 'Only the embedded deployment is backed up here; back up EventStoreDB and MongoDB with their own tools.',
    EMAIL_IN_USE: 'Another account uses that e-mail.',
    EMAIL_IS_SIGN_IN: 'A password account signs in with its e-mail; ask support to change it.',
    NO_ACCOUNT: 'Create your account first.',
    ONE_REQUESTER: 'Name the caller by account or by e-mail, not both.',
  },

  things: {
    resource: 'The resource',
    route: 'The route',
    organisation: 'The organisation',
    duplicateOrganisation: 'The duplicate organisation',
    member: 'The member',
    customerApplication: 'The customer application',
    registration: 'The registration',
    service: 'The service',
    offering: 'The offering',
    order: 'The order',
    ticket: 'The ticket',
    attachment: 'The attachment',
    joinRequest: 'The join request',
    projection: 'The projection',
  },

  validation: {
    isString: 'must be a text',
    isNotEmpty: 'must not be empty',
    isEmail: 'must be an e-mail address',
    isIn: 'must be one of: {{0}}',
    isInt: 'must be an integer',
    isBoolean: 'must be true or false',
    isArray: 'must be a list',
    isObject: 'must be an object',
    isUUID: 'must be an id (UUID)',
    isDefined: 'is required',
    isEnum: 'must be one of the allowed values',
    isNumber: 'must be a number',
    isDateString: 'must be a time (ISO 8601)',
    isISO8601: 'must be a time (ISO 8601)',
    equals: 'must be {{0}}',
    matches: 'has the wrong format',
    min: 'must not be less than {{0}}',
    max: 'must not be greater than {{0}}',
    minLength: 'must be at least {{0}} characters',
    maxLength: 'must be at most {{0}} characters',
    arrayMaxSize: 'may hold at most {{0}} values',
    arrayMinSize: 'must hold at least {{0}} values',
    arrayNotEmpty: 'must not be empty',
    arrayUnique: 'must not hold the same value twice',
    nestedValidation: 'must be an object',
    whitelistValidation: 'is not a parameter of this route',
    unknownValue: 'is not valid',
    isStrongPassword: 'the password is too weak',
  },

  /** The English text is the key itself: only the Swedish file lists these. */
  validationMessages: {},

  notices: {
    approve: 'Approve the order of {{offeringName}} from {{customerOrganisationName}}',
    attest: 'Attest the order of {{offeringName}} from {{customerOrganisationName}}',
    ticketReply: 'New reply on {{number}}: {{subject}}',
    agreementToSign: 'Sign the customer agreement for {{organisationName}}',
    joinRequest: '{{name}} asks to join',
  },

  mail: {
    'organisation-approved-administrator': {
      subject: '{{organisationName}} is now a customer: your access to Kundportal',
      text:
        'Hello {{name}},\n\n{{organisationName}} has been approved as a customer and you are its administrator.\n' +
        'Sign in with BankID or Freja eID and create your account: {{link}}\n\n' +
        'Once the customer agreement is signed, check that the roles orderer and attestant are held.\n',
    },
    'agreement-to-sign': {
      subject: 'Customer agreement for {{organisationName}} to sign',
      text: 'Hello {{name}},\n\nYou are named as signatory for {{organisationName}}.\nSign the customer agreement digitally with your e-ID here: {{link}}\n',
    },
    'agreement-contact-information': {
      subject: '{{organisationName}}: customer agreement on its way',
      text:
        'Hello {{name}},\n\n{{organisationName}} has been approved as a customer and you are its contact for the ' +
        'customer agreement. The signatory has been asked to sign it; we will keep you informed.\n',
    },
    'order-to-approve': {
      subject: 'Order from {{customerOrganisationName}} awaits your approval: {{offeringName}}',
      text: 'Hello {{name}},\n\n{{submittedBy}} at {{customerOrganisationName}} has ordered {{offeringName}}. It is your turn to approve it: {{link}}\n',
    },
    'order-to-attest': {
      subject: 'Order from {{customerOrganisationName}} awaits your attestation: {{offeringName}}',
      text: 'Hello {{name}},\n\n{{submittedBy}} at {{customerOrganisationName}} has ordered {{offeringName}}. It is your turn to attest it: {{link}}\n',
    },
    'order-rejected': {
      subject: 'Order rejected: {{offeringName}} for {{customerOrganisationName}}',
      text: 'Hello {{name}},\n\n{{rejectedBy}} rejected the order of {{offeringName}}.\nReason: {{reason}}\n{{link}}\n',
    },
    'order-fulfilled': {
      subject: 'Order fulfilled: {{offeringName}} for {{customerOrganisationName}}',
      text: 'Hello {{name}},\n\nThe order of {{offeringName}} for {{customerOrganisationName}} is fulfilled.{{viaAgentNote}}\n\nInstructions:\n{{instructions}}\n\n{{link}}\n',
      viaAgentNote: ' The technical connection may start.',
    },
    'ticket-reply': {
      subject: '[{{number}}] New reply: {{subject}}',
      text: 'Hello {{name}},\n\n{{author}} from support replied to your ticket {{number}} "{{subject}}":\n\n{{body}}\n\n{{howToAnswer}}',
      howToAnswerInPortal: 'Read and answer it in the portal: {{link}}\n',
      howToAnswerByMail: 'Reply to this e-mail to answer, quoting {{number}}.\n',
    },
    'ticket-received': {
      subject: '[{{number}}] We have received your ticket: {{subject}}',
      text: 'Hello {{name}},\n\nThank you. Your ticket has number {{number}}; we will answer by e-mail.\n',
    },
    'account-activated': {
      subject: 'Your Kundportal account is activated',
      text: 'Hello {{name}},\n\nSupport has approved your registration. Sign in with {{email}} and your password: {{link}}\n',
    },
    'registration-rejected': {
      subject: 'Your Kundportal registration was not approved',
      text: 'Hello {{name}},\n\nSupport could not approve your registration.\nReason: {{reason}}\n',
    },
    'password-reset': {
      subject: 'Reset your Kundportal password',
      text:
        'Hello {{name}},\n\nChoose a new password here (the link works once, until {{expiresAt}}): {{link}}\n' +
        'If you did not ask for this, ignore this e-mail; your password is unchanged.\n',
    },
    'account-verification': {
      subject: 'Verify your Kundportal account',
      text:
        'Hello {{name}},\n\nYour account {{username}} from the old portal has moved to the new Kundportal. ' +
        'Verify it once, signing in with BankID or Freja eID, to keep your roles: {{link}}\n',
    },
    'order-fulfilled-agent': {
      subject: 'Technical connection may start: {{offeringName}} for {{customerOrganisationName}}',
      text:
        'Hello {{name}},\n\nThe order of {{offeringName}} that {{customerOrganisationName}} placed via {{agentOrganisationName}} is fulfilled. ' +
        'As its agent, {{agentOrganisationName}} may now start the technical connection of {{customerOrganisationName}} to the service.\n\nInstructions:\n{{instructions}}\n\n{{link}}\n',
    },
    'order-withdrawn': {
      subject: 'Order withdrawn: {{offeringName}} for {{customerOrganisationName}}',
      text:
        'Hello {{name}},\n\n{{withdrawnBy}} withdrew the order of {{offeringName}} for {{customerOrganisationName}}. ' +
        'Nobody needs to approve or attest it any more.\n{{reasonLine}}{{link}}\n',
    },
    'order-cancelled': {
      subject: 'Order cancelled: {{offeringName}} for {{customerOrganisationName}}',
      text:
        'Hello {{name}},\n\nSupport cancelled the order of {{offeringName}} for {{customerOrganisationName}}. ' +
        'Nobody needs to act on it any more, and it will not be fulfilled.\nReason: {{reason}}\n{{link}}\n',
    },
    'customer-application-rejected': {
      subject: 'The customer application of {{organisationName}} was not approved',
      text:
        'Hello {{name}},\n\nYou are named as a contact in the customer application of {{organisationName}} ({{organisationNumber}}). ' +
        'Support could not approve it.\nReason: {{reason}}\n\nOnce the reason is dealt with, the organisation may apply again: {{link}}\n',
    },
    'join-request': {
      subject: '{{requesterName}} asks to join {{organisationName}}',
      text:
        'Hello {{name}},\n\n{{requesterName}} ({{requesterEmail}}) asks to join {{organisationName}} in Kundportal.\n' +
        'As its administrator, approve the request (and give roles) or decline it here: {{link}}\n',
    },
    'join-request-approved': {
      subject: 'You are now a member of {{organisationName}}',
      text: 'Hello {{name}},\n\nYour request to join {{organisationName}} has been approved.{{rolesNote}}\n{{link}}\n',
      rolesNote: ' Your roles: {{roles}}.',
    },
    'join-request-declined': {
      subject: 'Your request to join {{organisationName}} was declined',
      text: 'Hello {{name}},\n\nYour request to join {{organisationName}} was declined.\n{{reasonLine}}',
    },
    invitation: {
      subject: '{{invitedBy}} invites you to {{organisationName}} in Kundportal',
      text:
        'Hello {{name}},\n\n{{invitedBy}} invites you to join {{organisationName}} in Kundportal{{rolesNote}}.\n' +
        'Open the link, sign in with BankID or Freja eID and you are a member (the link works once, until {{expiresAt}}): {{link}}\n',
      rolesNote: ' as {{roles}}',
    },
    'email-verification': {
      subject: 'Confirm your e-mail address for Kundportal',
      text:
        'Hello {{name}},\n\nConfirm that {{email}} is your address: {{link}}\n' +
        'Until then we send you what you ask for, but do not link tickets sent to us from this address to your account.\n',
    },
    /** Parts several e-mails share. */
    shared: {
      reasonLine: 'Reason: {{reason}}\n',
    },
    roles: {
      administrator: 'administrator',
      orderer: 'orderer',
      attestant: 'attestant',
      signatory: 'signatory',
    },
  },
};
