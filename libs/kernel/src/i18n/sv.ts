/**
 * Swedish, the service's first language: every error code's message, the things a 404 names, the
 * validation messages and every e-mail. Keys are error codes, template names and, for validation
 * messages, the English text the code produces. `en.ts` has the same keys (the compiler checks
 * it); `i18n.spec.ts` checks that every code and template in the source has its key here.
 *
 * Errors: `errors.CODE` is the message of that code; `errors.CODE_reason` the message for one
 * reason of it (i18next's context), chosen where the error is thrown. Written to Swedish
 * public-sector staff: du-form, plain and polite.
 */
export const sv = {
  errors: {
    VALIDATION_FAILED: 'Begäran är inte giltig.',
    VALIDATION_FAILED_orderDetails: 'Beställningens uppgifter passar inte erbjudandet.',
    VALIDATION_FAILED_json: 'Begärans innehåll är inte giltig JSON.',
    VALIDATION_FAILED_http: 'Begäran är inte giltig HTTP.',
    UNAUTHENTICATED: 'Logga in först.',
    UNAUTHENTICATED_invalidToken: 'Åtkomsttoken är inte giltig.',
    UNAUTHENTICATED_noSubject: 'Token saknar subjekt eller inloggningsmetod.',
    UNAUTHENTICATED_invalidPersonalNumber: 'Token har ett ogiltigt personnummer.',
    UNAUTHENTICATED_noPerson: 'Token anger ingen person.',
    FORBIDDEN: 'Du får inte göra detta.',
    FORBIDDEN_staffOnly: 'Bara supporten får göra detta.',
    FORBIDDEN_staffOrAuditor: 'Bara supporten och revisorer får göra detta.',
    FORBIDDEN_auditorsDoNotAct: 'Revisorer läser beställningar men deltar inte i dem.',
    FORBIDDEN_noRoleForStep: 'Du har inte rollen för det här steget i beställningen.',
    FORBIDDEN_orderersOnly: 'Bara organisationens beställare får beställa.',
    FORBIDDEN_staffFulfil: 'Bara supporten levererar beställningar.',
    FORBIDDEN_signatoryOnly: 'Bara organisationens firmatecknare får underteckna kundavtalet.',
    FORBIDDEN_administratorsSetRoles: 'Bara organisationens administratörer får ändra roller.',
    FORBIDDEN_staffLinkAgents: 'Bara supporten får koppla ombud.',
    FORBIDDEN_userLimit: 'Bara organisationens administratörer och supporten får ändra gränsen för antal användare.',
    FORBIDDEN_staffMerge: 'Bara supporten får slå ihop organisationer.',
    FORBIDDEN_staffOnBehalf: 'Bara supporten får skapa ärenden åt någon annan.',
    FORBIDDEN_accountFirst: 'Skapa ditt konto först, eller använd det öppna formuläret.',
    FORBIDDEN_ticketParticipants: 'Bara den som skapade ärendet, de som medverkar i det och supporten deltar i ärendet.',
    FORBIDDEN_requesterAddsCollaborators: 'Bara den som skapade ärendet och supporten får lägga till medverkande.',
    FORBIDDEN_staffInternalNotes: 'Bara supporten skriver interna anteckningar.',
    FORBIDDEN_staffTicketStatus: 'Bara supporten ändrar ärendets status.',
    FORBIDDEN_staffTicketPriority: 'Bara supporten ändrar ärendets prioritet.',
    UNAUTHENTICATED_notEid: 'Token kommer inte från en inloggning med e-legitimation.',
    UNAUTHENTICATED_tooLongLived: 'Åtkomsttoken gäller för länge.',
    FORBIDDEN_submitterWithdraws: 'Bara beställaren som skickade beställningen får återkalla den.',
    FORBIDDEN_staffCancel: 'Bara supporten får makulera beställningar.',
    FORBIDDEN_administratorsApproveJoinRequests: 'Bara organisationens administratörer får godkänna förfrågningar om att gå med.',
    FORBIDDEN_administratorsDeclineJoinRequests: 'Bara organisationens administratörer får avslå förfrågningar om att gå med.',
    FORBIDDEN_administratorsRemoveMembers: 'Bara organisationens administratörer får ta bort medlemmar.',
    FORBIDDEN_administratorsInvite: 'Bara organisationens administratörer får bjuda in personer.',
    FORBIDDEN_administratorsOnly: 'Bara organisationens administratörer får se detta.',
    FORBIDDEN_roleToSeeMembers: 'Bara medlemmar med en roll i organisationen ser dess medlemmar.',
    FORBIDDEN_roleToSeeOrders: 'Bara medlemmar med en roll i organisationen ser dess beställningar.',
    FORBIDDEN_staffTicketFilters: 'Bara supporten filtrerar ärenden på {{filters}}.',
    NOT_FOUND: '{{thing}} hittades inte.',
    METHOD_NOT_ALLOWED: 'Metoden är inte tillåten här.',
    NOT_ACCEPTABLE: 'Svaret kan inte ges i det format som begärs.',
    CONFLICT: 'Begäran krockar med hur det ser ut just nu.',
    PAYLOAD_TOO_LARGE: 'Begäran är för stor.',
    PAYLOAD_TOO_LARGE_attachment: 'En bilaga får vara högst {{maxBytes}} byte.',
    URI_TOO_LONG: 'Adressen är för lång.',
    UNSUPPORTED_MEDIA_TYPE: 'Innehållstypen stöds inte.',
    TOO_MANY_REQUESTS: 'För många försök. Vänta en stund och försök igen.',
    TOO_MANY_REQUESTS_address: 'För många förfrågningar från din adress. Försök igen om {{seconds}} s.',
    REQUEST_HEADER_FIELDS_TOO_LARGE: 'Begärans huvudfält (eller adressen) är för stora.',
    SERVICE_UNAVAILABLE: 'Tjänsten är inte tillgänglig just nu. Försök igen om en stund.',
    READ_MODEL_BEHIND: 'Uppgifterna har inte hunnit uppdateras till position {{position}}. Försök igen.',
    BAD_REQUEST: 'Begäran är felaktig.',
    INTERNAL_ERROR: 'Något gick fel.',
    CONCURRENCY_CONFLICT: 'För många samtidiga ändringar. Försök igen.',
    RESERVATION_HELD: 'Det används redan ({{kind}}).',
    IDEMPOTENCY_KEY_REUSED: 'Denna Idempotency-Key har använts för en annan begäran.',
    IDEMPOTENCY_KEY_IN_USE: 'En begäran med denna Idempotency-Key hanteras fortfarande.',
    PROJECTION_NOT_PARKED: 'Projektionen har läget {{state}}, den är inte parkerad.',
    INVALID_CREDENTIALS: 'E-postadressen eller lösenordet är fel.',
    REGISTRATION_PENDING: 'Din registrering väntar på att godkännas av supporten.',
    INVALID_TOKEN: 'Länken är inte giltig. Den har redan använts, har gått ut eller har ersatts av en nyare.',
    ACCOUNT_EXISTS: 'Kontot finns redan.',
    ACCOUNT_EXISTS_own: 'Du har redan ett konto.',
    ACCOUNT_EXISTS_email: 'Det finns redan ett konto med den e-postadressen.',
    ACCOUNT_EXISTS_emailOrRegistration: 'Det finns redan ett konto eller en registrering med den e-postadressen.',
    ACCOUNT_EXISTS_username: 'Ett konto med det användarnamnet har redan importerats.',
    ACCOUNT_EXISTS_otherAccount: 'Du har redan ett annat konto. Be supporten att slå ihop dem.',
    EID_METHOD_NOT_ALLOWED: 'Ett konto kan inte skapas med den här e-legitimationen. Logga in med BankID eller Freja eID.',
    EID_METHOD_NOT_ALLOWED_verify: 'Verifiera ditt konto efter att du har loggat in med BankID eller Freja eID.',
    NO_PASSWORD: 'Kontot loggar in med e-legitimation.',
    PRIVATE_EMAIL_DOMAIN: 'Registrera dig med e-postadressen hos din arbetsgivare, inte med en privat adress.',
    ORGANISATION_NOT_REGISTERED: 'Organisationen är inte registrerad.',
    ORGANISATION_NOT_REGISTERED_apply: 'Organisationen är inte registrerad. Skicka in en kundansökan först.',
    ORGANISATION_USER_LIMIT_REACHED: 'Organisationen får ha högst {{limit}} användare.',
    REGISTRATION_EXISTS: 'Registreringen finns redan.',
    REGISTRATION_NOT_PENDING: 'Registreringen väntar inte längre på beslut (den är {{status}}).',
    APPLICATION_EXISTS: 'Ansökan finns redan.',
    APPLICATION_NOT_PENDING: 'Ansökan väntar inte längre på beslut (den är {{status}}).',
    TOO_MANY_APPLICATIONS: 'Organisationen har ansökt för många gånger.',
    ORGANISATION_ALREADY_REGISTERED: 'Organisationen är redan registrerad eller har redan en ansökan.',
    ORGANISATION_MERGED: 'Organisationen har slagits ihop med en annan ({{into}}). Använd den i stället.',
    ORGANISATION_MERGED_target: 'Den organisationen har själv slagits ihop med en annan.',
    INVALID_MERGE: 'En organisation kan inte slås ihop med sig själv.',
    AGREEMENT_ALREADY_SIGNED: 'Kundavtalet är redan undertecknat.',
    AGREEMENT_NOT_SIGNED: 'Kundavtalet måste vara undertecknat innan ni kan beställa.',
    LAST_ADMINISTRATOR: 'Organisationen måste ha minst en administratör kvar.',
    AGENT_NOT_REGISTERED: 'Ombudsorganisationen är inte registrerad.',
    INVALID_AGENT: 'En organisation kan inte vara sitt eget ombud.',
    AGENT_ALREADY_LINKED: 'Ombudet är redan kopplat.',
    NOT_AN_AGENT_OF_ORGANISATION: 'Den organisationen är inte ombud för er.',
    NO_ATTESTANT: 'Organisationen har ingen attestant som kan attestera beställningen. En administratör behöver utse en.',
    OFFERING_NOT_AVAILABLE: 'Erbjudandet finns inte i katalogen.',
    ORDER_EXISTS: 'Beställningen finns redan.',
    ORDER_STATE_CONFLICT: 'Beställningen är {{status}}. Det är inte din tur.',
    ORDER_STATE_CONFLICT_fulfil: 'Beställningen är {{status}}. Bara en attesterad beställning kan levereras.',
    INVALID_SERVICE_ID: 'Ett tjänste-id består av gemener och siffror, förenade med enstaka bindestreck.',
    SERVICE_ALREADY_EXISTS: 'Tjänsten {{serviceId}} finns redan.',
    INVALID_OFFERING_ID: 'Ett erbjudande-id i den här tjänsten börjar med "{{serviceId}}-".',
    OFFERING_ID_TAKEN: 'Erbjudande-id {{offeringId}} tillhör tjänsten {{serviceId}}.',
    OFFERING_NOT_ACTIVE: 'Erbjudandet {{offeringId}} finns inte i katalogen (okänt eller avvecklat).',
    NOT_A_REGISTERED_ACCOUNT: 'Bara registrerade konton kan vara med i ett ärende.',
    UNKNOWN_SERVICE: 'Tjänsten finns inte i katalogen.',
    UNKNOWN_ATTACHMENT: 'Bifoga filerna till ärendet innan du hänvisar till dem i ett meddelande.',
    TICKET_EXISTS: 'Ärendet finns redan.',
    TICKET_CLOSED: 'Ärendet är stängt.',
    ALREADY_ON_TICKET: 'Personen är redan med i ärendet.',
    INVALID_TOKEN_invitation: 'Inbjudan är inte giltig. Den har redan använts, har gått ut eller har dragits tillbaka.',
    ORDER_STATE_CONFLICT_withdraw: 'Beställningen är {{status}}. Bara en beställning som väntar kan återkallas.',
    ORDER_STATE_CONFLICT_cancel: 'Beställningen är {{status}}. Bara en beställning som inte har levererats kan makuleras.',
    ORGANISATION_MERGED_agent: 'Ombudets organisation har slagits ihop med en annan ({{into}}). Koppla den i stället.',
    AGENT_CANNOT_ACT: 'Ombudsorganisationen kan inte hantera beställningen. Den behöver först utse någon med rätt roll.',
    AGENT_CANNOT_ACT_noOrderer: 'Ombudsorganisationen har ingen beställare som kan hantera beställningen. Den behöver utse en först.',
    AGENT_CANNOT_ACT_noAttestant: 'Ombudsorganisationen har ingen attestant som kan hantera beställningen. Den behöver utse en först.',
    AGENT_CANNOT_ACT_noOrdererNorAttestant: 'Ombudsorganisationen har varken beställare eller attestant som kan hantera beställningen. Den behöver utse dem först.',
    BACKUP_IN_PROGRESS: 'En säkerhetskopia görs just nu. Försök igen när den är klar.',
    BACKUP_NOT_EMBEDDED: 'Här säkerhetskopieras bara den inbyggda driftsättningen. Säkerhetskopiera EventStoreDB och MongoDB med deras egna verktyg.',
    EMAIL_IN_USE: 'Ett annat konto använder den e-postadressen.',
    EMAIL_IS_SIGN_IN: 'Ett konto med lösenord loggar in med sin e-postadress. Be supporten att ändra den.',
    NO_ACCOUNT: 'Skapa ditt konto först.',
    ONE_REQUESTER: 'Ange personen antingen med konto eller med e-postadress, inte båda.',
  },

  /** What a NOT_FOUND names (`new NotFound('order')`), in the definite form that starts its sentence. */
  things: {
    resource: 'Resursen',
    route: 'Adressen',
    organisation: 'Organisationen',
    duplicateOrganisation: 'Dubbletten av organisationen',
    member: 'Medlemmen',
    customerApplication: 'Kundansökan',
    registration: 'Registreringen',
    service: 'Tjänsten',
    offering: 'Erbjudandet',
    order: 'Beställningen',
    ticket: 'Ärendet',
    attachment: 'Bilagan',
    joinRequest: 'Förfrågan om att gå med',
    projection: 'Projektionen',
  },

  /** class-validator's own checks, by constraint name: the field is named beside the message. */
  validation: {
    isString: 'måste vara en text',
    isNotEmpty: 'får inte vara tom',
    isEmail: 'måste vara en e-postadress',
    isIn: 'måste vara ett av: {{0}}',
    isInt: 'måste vara ett heltal',
    isBoolean: 'måste vara sant eller falskt',
    isArray: 'måste vara en lista',
    isObject: 'måste vara ett objekt',
    isUUID: 'måste vara ett id (UUID)',
    isDefined: 'måste anges',
    isEnum: 'måste vara ett av de tillåtna värdena',
    isNumber: 'måste vara ett tal',
    isDateString: 'måste vara en tidpunkt (ISO 8601)',
    isISO8601: 'måste vara en tidpunkt (ISO 8601)',
    equals: 'måste vara {{0}}',
    matches: 'har fel format',
    min: 'får inte vara mindre än {{0}}',
    max: 'får inte vara större än {{0}}',
    minLength: 'måste vara minst {{0}} tecken',
    maxLength: 'får vara högst {{0}} tecken',
    arrayMaxSize: 'får ha högst {{0}} värden',
    arrayMinSize: 'måste ha minst {{0}} värden',
    arrayNotEmpty: 'får inte vara tom',
    arrayUnique: 'får inte innehålla samma värde två gånger',
    nestedValidation: 'måste vara ett objekt',
    whitelistValidation: 'är inte en parameter för den här adressen',
    unknownValue: 'är inte giltigt',
    isStrongPassword: 'lösenordet är för svagt',
  },

  /**
   * The messages our own checks write in `details`, keyed by their English text. A number in the
   * text stands as `{{n}}` (the first) and `{{n2}}`… in the key, so "must be at least 3" finds
   * "must be at least {{n}}".
   */
  validationMessages: {
    'must be an amount with at most two decimals': 'måste vara ett belopp med högst två decimaler',
    'must be a valid personnummer (YYYYMMDDNNNC with a correct check digit)': 'måste vara ett giltigt personnummer (ÅÅÅÅMMDDNNNN med rätt kontrollsiffra)',
    'must be a valid organisationsnummer (NNNNNN-NNNN with a correct check digit)': 'måste vara ett giltigt organisationsnummer (NNNNNN-NNNN med rätt kontrollsiffra)',
    'password must be at least {{n}} characters with a lower-case and an upper-case letter, a digit and a special character':
      'lösenordet måste ha minst {{n}} tecken med en liten och en stor bokstav, en siffra och ett specialtecken',
    'must be an offering id from the catalogue': 'måste vara ett erbjudande-id ur katalogen',
    'the terms must be accepted': 'villkoren måste godkännas',
    'must be a letter followed by up to {{n}} letters or digits': 'måste vara en bokstav följd av högst {{n}} bokstäver eller siffror',
    'must be a service id from the catalogue': 'måste vara ett tjänste-id ur katalogen',
    'must be well-formed text': 'måste vara korrekt text',
    'is nested too deeply (at most {{n}} levels)': 'är nästlad för djupt (högst {{n}} nivåer)',
    'has a key that is not well-formed text': 'har en nyckel som inte är korrekt text',
    'must be an ISO-{{n}} time, e.g. {{n2}}-{{n3}}-{{n4}}T{{n5}}:{{n6}}:{{n7}}Z': 'måste vara en tidpunkt enligt ISO {{n}}, t.ex. {{n2}}-{{n3}}-{{n4}}T{{n5}}:{{n6}}:{{n7}}Z',
    'send one file in the field "file" (multipart/form-data)': 'skicka en fil i fältet "file" (multipart/form-data)',
    'send the file as multipart/form-data in the field "file"': 'skicka filen som multipart/form-data i fältet "file"',
    'send the file in the field "file"': 'skicka filen i fältet "file"',
    'must be a position returned by a command': 'måste vara en position som ett kommando har svarat med',
    'must be {{n}} to {{n2}} characters': 'måste vara {{n}} till {{n2}} tecken',
    'is not a parameter of this route': 'är inte en parameter för den här adressen',
    'must be an array': 'måste vara en lista',
    'must be an object': 'måste vara ett objekt',
    'is the name of another field': 'är namnet på ett annat fält',
    'must be true or false': 'måste vara sant eller falskt',
    'applies to integer fields only': 'gäller bara heltalsfält',
    'must be an integer': 'måste vara ett heltal',
    'must not be less than min': 'får inte vara mindre än min',
    'applies to string fields only': 'gäller bara textfält',
    'is required': 'måste anges',
    'must be a text': 'måste vara en text',
    'must not be empty': 'får inte vara tom',
    'is not a field of this offering': 'är inte ett fält i det här erbjudandet',
    'must be at least {{n}}': 'måste vara minst {{n}}',
    'must be at most {{n}}': 'får vara högst {{n}}',
    'must be at most {{n}} characters': 'får vara högst {{n}} tecken',
    'must be lower-case letters and digits joined by single hyphens': 'måste vara gemener och siffror förenade med enstaka bindestreck',
    'not an offering in the catalogue': 'inte ett erbjudande i katalogen',
    'not an agent of the organisation': 'inte ombud för organisationen',
    'not a registered organisation': 'inte en registrerad organisation',
    'a private e-mail domain': 'en privat e-postdomän',
    'no such organisation': 'organisationen finns inte',
    'not a registered account': 'inte ett registrerat konto',
    'not a service in the catalogue': 'inte en tjänst i katalogen',
    'must be one of sv, en': 'måste vara sv eller en',
    'applies to care-unit-list fields only': 'gäller bara fält med vårdenheter',
    'is not a property of a care unit': 'är inte en uppgift om en vårdenhet',
    'must be a care unit { name, hsaId }': 'måste vara en vårdenhet { name, hsaId }',
    'must be a list of care units, each { name, hsaId }': 'måste vara en lista med vårdenheter, var och en { name, hsaId }',
    'must be an HSA-id such as SE{{n}}-{{n2}}CQ': 'måste vara ett HSA-id, till exempel SE{{n}}-{{n2}}CQ',
    'must be the name of a field of the form': 'måste vara namnet på ett fält i formuläret',
    'must name an integer field of the form': 'måste ange ett heltalsfält i formuläret',
    'names a care unit already in the list': 'anger en vårdenhet som redan finns i listan',
    'not a valid invitation': 'inte en giltig inbjudan',
    'not a valid link': 'inte en giltig länk',
    'not with onBehalfOfAccountId': 'inte tillsammans med onBehalfOfAccountId',
    'the agent has no orderer': 'ombudet har ingen beställare',
    'the agent has no attestant': 'ombudet har ingen attestant',
    'the agent has no orderer and no attestant': 'ombudet har varken beställare eller attestant',
  } as Record<string, string>,

  /** The titles of the notices in `/me/notifications`, by kind. */
  notices: {
    approve: 'Godkänn beställningen av {{offeringName}} från {{customerOrganisationName}}',
    attest: 'Attestera beställningen av {{offeringName}} från {{customerOrganisationName}}',
    ticketReply: 'Nytt svar i {{number}}: {{subject}}',
    agreementToSign: 'Underteckna kundavtalet för {{organisationName}}',
    joinRequest: '{{name}} vill gå med',
  },

  /** Every e-mail, by template name: `subject` and `text`, interpolated with the template's data. */
  mail: {
    'organisation-approved-administrator': {
      subject: '{{organisationName}} är nu kund: din åtkomst till Kundportalen',
      text:
        'Hej {{name}},\n\n{{organisationName}} har godkänts som kund och du är organisationens administratör.\n' +
        'Logga in med BankID eller Freja eID och skapa ditt konto: {{link}}\n\n' +
        'När kundavtalet är undertecknat behöver du se till att någon har rollerna beställare och attestant.\n',
    },
    'agreement-to-sign': {
      subject: 'Kundavtal för {{organisationName}} att underteckna',
      text:
        'Hej {{name}},\n\nDu är angiven som firmatecknare för {{organisationName}}.\n' +
        'Underteckna kundavtalet digitalt med din e-legitimation här: {{link}}\n',
    },
    'agreement-contact-information': {
      subject: '{{organisationName}}: kundavtalet är på väg',
      text:
        'Hej {{name}},\n\n{{organisationName}} har godkänts som kund och du är kontaktperson för kundavtalet. ' +
        'Firmatecknaren har ombetts att underteckna det. Vi håller dig informerad.\n',
    },
    'order-to-approve': {
      subject: 'Beställning från {{customerOrganisationName}} väntar på ditt godkännande: {{offeringName}}',
      text:
        'Hej {{name}},\n\n{{submittedBy}} på {{customerOrganisationName}} har beställt {{offeringName}}. ' +
        'Nu är det din tur att godkänna beställningen: {{link}}\n',
    },
    'order-to-attest': {
      subject: 'Beställning från {{customerOrganisationName}} väntar på din attest: {{offeringName}}',
      text:
        'Hej {{name}},\n\n{{submittedBy}} på {{customerOrganisationName}} har beställt {{offeringName}}. ' +
        'Nu är det din tur att attestera beställningen: {{link}}\n',
    },
    'order-rejected': {
      subject: 'Beställningen avslogs: {{offeringName}} för {{customerOrganisationName}}',
      text: 'Hej {{name}},\n\n{{rejectedBy}} har avslagit beställningen av {{offeringName}}.\nSkäl: {{reason}}\n{{link}}\n',
    },
    'order-fulfilled': {
      subject: 'Beställningen är klar: {{offeringName}} för {{customerOrganisationName}}',
      text: 'Hej {{name}},\n\nBeställningen av {{offeringName}} för {{customerOrganisationName}} är klar.{{viaAgentNote}}\n\nInstruktioner:\n{{instructions}}\n\n{{link}}\n',
      viaAgentNote: ' Den tekniska anslutningen kan börja.',
    },
    'ticket-reply': {
      subject: '[{{number}}] Nytt svar: {{subject}}',
      text: 'Hej {{name}},\n\n{{author}} på supporten har svarat i ditt ärende {{number}} ”{{subject}}”:\n\n{{body}}\n\n{{howToAnswer}}',
      howToAnswerInPortal: 'Läs och svara i portalen: {{link}}\n',
      howToAnswerByMail: 'Svara på det här e-postmeddelandet och ange ärendenummer {{number}}.\n',
    },
    'ticket-received': {
      subject: '[{{number}}] Vi har tagit emot ditt ärende: {{subject}}',
      text: 'Hej {{name}},\n\nTack! Ditt ärende har nummer {{number}}. Vi svarar via e-post.\n',
    },
    'account-activated': {
      subject: 'Ditt konto i Kundportalen är aktiverat',
      text: 'Hej {{name}},\n\nSupporten har godkänt din registrering. Logga in med {{email}} och ditt lösenord: {{link}}\n',
    },
    'registration-rejected': {
      subject: 'Din registrering i Kundportalen godkändes inte',
      text: 'Hej {{name}},\n\nSupporten kunde inte godkänna din registrering.\nSkäl: {{reason}}\n',
    },
    'password-reset': {
      subject: 'Välj ett nytt lösenord i Kundportalen',
      text:
        'Hej {{name}},\n\nVälj ett nytt lösenord här (länken fungerar en gång, till {{expiresAt}}): {{link}}\n' +
        'Om du inte har bett om detta kan du bortse från meddelandet. Ditt lösenord är oförändrat.\n',
    },
    'account-verification': {
      subject: 'Verifiera ditt konto i Kundportalen',
      text:
        'Hej {{name}},\n\nDitt konto {{username}} från den gamla portalen har flyttat till nya Kundportalen. ' +
        'Verifiera det en gång genom att logga in med BankID eller Freja eID, så behåller du dina roller: {{link}}\n',
    },
    'order-fulfilled-agent': {
      subject: 'Den tekniska anslutningen kan börja: {{offeringName}} för {{customerOrganisationName}}',
      text:
        'Hej {{name}},\n\nBeställningen av {{offeringName}} som {{customerOrganisationName}} gjorde via {{agentOrganisationName}} är klar. ' +
        'Som ombud kan {{agentOrganisationName}} nu börja ansluta {{customerOrganisationName}} tekniskt till tjänsten.\n\nInstruktioner:\n{{instructions}}\n\n{{link}}\n',
    },
    'order-withdrawn': {
      subject: 'Beställningen har återkallats: {{offeringName}} för {{customerOrganisationName}}',
      text:
        'Hej {{name}},\n\n{{withdrawnBy}} har återkallat beställningen av {{offeringName}} för {{customerOrganisationName}}. ' +
        'Ingen behöver godkänna eller attestera den längre.\n{{reasonLine}}{{link}}\n',
    },
    'order-cancelled': {
      subject: 'Beställningen har makulerats: {{offeringName}} för {{customerOrganisationName}}',
      text:
        'Hej {{name}},\n\nSupporten har makulerat beställningen av {{offeringName}} för {{customerOrganisationName}}. ' +
        'Ingen behöver göra något mer med den, och den kommer inte att levereras.\nSkäl: {{reason}}\n{{link}}\n',
    },
    'customer-application-rejected': {
      subject: 'Kundansökan från {{organisationName}} godkändes inte',
      text:
        'Hej {{name}},\n\nDu är kontaktperson i kundansökan från {{organisationName}} ({{organisationNumber}}). ' +
        'Supporten kunde inte godkänna den.\nSkäl: {{reason}}\n\nNär det är åtgärdat kan organisationen ansöka igen: {{link}}\n',
    },
    'join-request': {
      subject: '{{requesterName}} vill gå med i {{organisationName}}',
      text:
        'Hej {{name}},\n\n{{requesterName}} ({{requesterEmail}}) vill gå med i {{organisationName}} i Kundportalen.\n' +
        'Som administratör kan du godkänna förfrågan (och ge roller) eller avslå den här: {{link}}\n',
    },
    'join-request-approved': {
      subject: 'Du är nu medlem i {{organisationName}}',
      text: 'Hej {{name}},\n\nDin förfrågan om att gå med i {{organisationName}} har godkänts.{{rolesNote}}\n{{link}}\n',
      rolesNote: ' Dina roller: {{roles}}.',
    },
    'join-request-declined': {
      subject: 'Din förfrågan om att gå med i {{organisationName}} avslogs',
      text: 'Hej {{name}},\n\nDin förfrågan om att gå med i {{organisationName}} har avslagits.\n{{reasonLine}}',
    },
    invitation: {
      subject: '{{invitedBy}} bjuder in dig till {{organisationName}} i Kundportalen',
      text:
        'Hej {{name}},\n\n{{invitedBy}} bjuder in dig att gå med i {{organisationName}} i Kundportalen{{rolesNote}}.\n' +
        'Öppna länken och logga in med BankID eller Freja eID, så blir du medlem (länken fungerar en gång, till {{expiresAt}}): {{link}}\n',
      rolesNote: ' som {{roles}}',
    },
    'email-verification': {
      subject: 'Bekräfta din e-postadress för Kundportalen',
      text:
        'Hej {{name}},\n\nBekräfta att {{email}} är din adress: {{link}}\n' +
        'Tills dess skickar vi det du ber om, men ärenden som skickas till oss från adressen kopplas inte till ditt konto.\n',
    },
    /** Parts several e-mails share. */
    shared: {
      reasonLine: 'Skäl: {{reason}}\n',
    },
    roles: {
      administrator: 'administratör',
      orderer: 'beställare',
      attestant: 'attestant',
      signatory: 'firmatecknare',
    },
  } as Record<string, Record<string, string>>,
};
