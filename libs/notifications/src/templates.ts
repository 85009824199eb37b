/** The e-mails the service sends, rendered as plain text. Each names what it is about. */
export interface RenderedMail {
  template: string;
  subject: string;
  text: string;
  data: Record<string, unknown>;
}

export const templates = {
  organisationApprovedAdministrator(data: { name: string; organisationName: string; link: string }): RenderedMail {
    return {
      template: 'organisation-approved-administrator',
      subject: `${data.organisationName} is now a customer: your access to Kundportal`,
      text:
        `Hello ${data.name},\n\n${data.organisationName} has been approved as a customer and you are its administrator.\n` +
        `Sign in with BankID or Freja eID and create your account: ${data.link}\n\n` +
        `Once the customer agreement is signed, check that the roles orderer and attestant are held.\n`,
      data,
    };
  },

  agreementToSign(data: { name: string; organisationName: string; organisationId: string; link: string }): RenderedMail {
    return {
      template: 'agreement-to-sign',
      subject: `Customer agreement for ${data.organisationName} to sign`,
      text:
        `Hello ${data.name},\n\nYou are named as signatory for ${data.organisationName}.\n` +
        `Sign the customer agreement digitally with your e-ID here: ${data.link}\n`,
      data,
    };
  },

  agreementContactInformation(data: { name: string; organisationName: string }): RenderedMail {
    return {
      template: 'agreement-contact-information',
      subject: `${data.organisationName}: customer agreement on its way`,
      text:
        `Hello ${data.name},\n\n${data.organisationName} has been approved as a customer and you are its contact for the ` +
        `customer agreement. The signatory has been asked to sign it; we will keep you informed.\n`,
      data,
    };
  },

  orderAwaitsYou(data: {
    name: string;
    action: 'approve' | 'attest';
    customerOrganisationName: string;
    offeringName: string;
    submittedBy: string;
    link: string;
  }): RenderedMail {
    const verb = data.action === 'approve' ? 'approval' : 'attestation';
    return {
      template: data.action === 'approve' ? 'order-to-approve' : 'order-to-attest',
      subject: `Order from ${data.customerOrganisationName} awaits your ${verb}: ${data.offeringName}`,
      text:
        `Hello ${data.name},\n\n${data.submittedBy} at ${data.customerOrganisationName} has ordered ${data.offeringName}. ` +
        `It is your turn to ${data.action} it: ${data.link}\n`,
      data,
    };
  },

  orderRejected(data: { name: string; customerOrganisationName: string; offeringName: string; reason: string; rejectedBy: string; link: string }): RenderedMail {
    return {
      template: 'order-rejected',
      subject: `Order rejected: ${data.offeringName} for ${data.customerOrganisationName}`,
      text: `Hello ${data.name},\n\n${data.rejectedBy} rejected the order of ${data.offeringName}.\nReason: ${data.reason}\n${data.link}\n`,
      data,
    };
  },

  orderFulfilled(data: { name: string; customerOrganisationName: string; offeringName: string; instructions: string; viaAgent: boolean; link: string }): RenderedMail {
    return {
      template: 'order-fulfilled',
      subject: `Order fulfilled: ${data.offeringName} for ${data.customerOrganisationName}`,
      text:
        `Hello ${data.name},\n\nThe order of ${data.offeringName} for ${data.customerOrganisationName} is fulfilled.` +
        (data.viaAgent ? ' The technical connection may start.' : '') +
        `\n\nInstructions:\n${data.instructions}\n\n${data.link}\n`,
      data,
    };
  },

  /** To the agent organisation's orderers and attestants: seed 001's last step, the provider telling the agent to connect the customer. */
  orderFulfilledAgent(data: { name: string; agentOrganisationName: string; customerOrganisationName: string; offeringName: string; instructions: string; link: string }): RenderedMail {
    return {
      template: 'order-fulfilled-agent',
      subject: `Technical connection may start: ${data.offeringName} for ${data.customerOrganisationName}`,
      text:
        `Hello ${data.name},\n\nThe order of ${data.offeringName} that ${data.customerOrganisationName} placed via ${data.agentOrganisationName} is fulfilled. ` +
        `As its agent, ${data.agentOrganisationName} may now start the technical connection of ${data.customerOrganisationName} to the service.` +
        `\n\nInstructions:\n${data.instructions}\n\n${data.link}\n`,
      data,
    };
  },

  /** To the orderer who withdrew it and to whoever was waiting to approve or attest it. */
  orderWithdrawn(data: { name: string; customerOrganisationName: string; offeringName: string; withdrawnBy: string; reason: string | null; link: string }): RenderedMail {
    return {
      template: 'order-withdrawn',
      subject: `Order withdrawn: ${data.offeringName} for ${data.customerOrganisationName}`,
      text:
        `Hello ${data.name},\n\n${data.withdrawnBy} withdrew the order of ${data.offeringName} for ${data.customerOrganisationName}. ` +
        `Nobody needs to approve or attest it any more.\n` +
        (data.reason ? `Reason: ${data.reason}\n` : '') +
        `${data.link}\n`,
      data,
    };
  },

  /** To the orderer who submitted it, whoever was waiting to act, and the agent of an order via an agent. */
  orderCancelled(data: { name: string; customerOrganisationName: string; offeringName: string; reason: string; link: string }): RenderedMail {
    return {
      template: 'order-cancelled',
      subject: `Order cancelled: ${data.offeringName} for ${data.customerOrganisationName}`,
      text:
        `Hello ${data.name},\n\nSupport cancelled the order of ${data.offeringName} for ${data.customerOrganisationName}. ` +
        `Nobody needs to act on it any more, and it will not be fulfilled.\nReason: ${data.reason}\n${data.link}\n`,
      data,
    };
  },

  /** To each of the application's three contacts. */
  customerApplicationRejected(data: { name: string; organisationName: string; organisationNumber: string; reason: string; link: string }): RenderedMail {
    return {
      template: 'customer-application-rejected',
      subject: `The customer application of ${data.organisationName} was not approved`,
      text:
        `Hello ${data.name},\n\nYou are named as a contact in the customer application of ${data.organisationName} (${data.organisationNumber}). ` +
        `Support could not approve it.\nReason: ${data.reason}\n\n` +
        `Once the reason is dealt with, the organisation may apply again: ${data.link}\n`,
      data,
    };
  },

  /** Names the ticket by number and subject (the old portal's mails did not say which ticket). */
  ticketReply(data: { name: string; number: string; subject: string; body: string; author: string; link: string | null }): RenderedMail {
    return {
      template: 'ticket-reply',
      subject: `[${data.number}] New reply: ${data.subject}`,
      text:
        `Hello ${data.name},\n\n${data.author} from support replied to your ticket ${data.number} "${data.subject}":\n\n${data.body}\n\n` +
        (data.link ? `Read and answer it in the portal: ${data.link}\n` : `Reply to this e-mail to answer, quoting ${data.number}.\n`),
      data,
    };
  },

  ticketReceived(data: { name: string; number: string; subject: string }): RenderedMail {
    return {
      template: 'ticket-received',
      subject: `[${data.number}] We have received your ticket: ${data.subject}`,
      text: `Hello ${data.name},\n\nThank you. Your ticket has number ${data.number}; we will answer by e-mail.\n`,
      data,
    };
  },

  accountActivated(data: { name: string; email: string; link: string }): RenderedMail {
    return {
      template: 'account-activated',
      subject: 'Your Kundportal account is activated',
      text: `Hello ${data.name},\n\nSupport has approved your registration. Sign in with ${data.email} and your password: ${data.link}\n`,
      data,
    };
  },

  registrationRejected(data: { name: string; reason: string }): RenderedMail {
    return {
      template: 'registration-rejected',
      subject: 'Your Kundportal registration was not approved',
      text: `Hello ${data.name},\n\nSupport could not approve your registration.\nReason: ${data.reason}\n`,
      data,
    };
  },

  passwordReset(data: { name: string; resetToken: string; link: string; expiresAt: string }): RenderedMail {
    return {
      template: 'password-reset',
      subject: 'Reset your Kundportal password',
      text:
        `Hello ${data.name},\n\nChoose a new password here (the link works once, until ${data.expiresAt}): ${data.link}\n` +
        `If you did not ask for this, ignore this e-mail; your password is unchanged.\n`,
      data,
    };
  },

  accountVerification(data: { name: string; username: string; verificationToken: string; link: string }): RenderedMail {
    return {
      template: 'account-verification',
      subject: 'Verify your Kundportal account',
      text:
        `Hello ${data.name},\n\nYour account ${data.username} from the old portal has moved to the new Kundportal. ` +
        `Verify it once, signing in with BankID or Freja eID, to keep your roles: ${data.link}\n`,
      data,
    };
  },

  joinRequestReceived(data: { name: string; requesterName: string; requesterEmail: string; organisationName: string; link: string }): RenderedMail {
    return {
      template: 'join-request',
      subject: `${data.requesterName} asks to join ${data.organisationName}`,
      text:
        `Hello ${data.name},\n\n${data.requesterName} (${data.requesterEmail}) asks to join ${data.organisationName} in Kundportal.\n` +
        `As its administrator, approve the request (and give roles) or decline it here: ${data.link}\n`,
      data,
    };
  },

  joinRequestApproved(data: { name: string; organisationName: string; roles: string[]; link: string }): RenderedMail {
    return {
      template: 'join-request-approved',
      subject: `You are now a member of ${data.organisationName}`,
      text:
        `Hello ${data.name},\n\nYour request to join ${data.organisationName} has been approved.` +
        (data.roles.length > 0 ? ` Your roles: ${data.roles.join(', ')}.` : '') +
        `\n${data.link}\n`,
      data,
    };
  },

  joinRequestDeclined(data: { name: string; organisationName: string; reason: string | null }): RenderedMail {
    return {
      template: 'join-request-declined',
      subject: `Your request to join ${data.organisationName} was declined`,
      text: `Hello ${data.name},\n\nYour request to join ${data.organisationName} was declined.\n` + (data.reason ? `Reason: ${data.reason}\n` : ''),
      data,
    };
  },

  /** The link opens the portal's invitation page, which has the invitee sign in with e-ID and join. */
  invitation(data: { name: string; organisationName: string; invitedBy: string; roles: string[]; invitationToken: string; link: string; expiresAt: string }): RenderedMail {
    return {
      template: 'invitation',
      subject: `${data.invitedBy} invites you to ${data.organisationName} in Kundportal`,
      text:
        `Hello ${data.name},\n\n${data.invitedBy} invites you to join ${data.organisationName} in Kundportal` +
        (data.roles.length > 0 ? ` as ${data.roles.join(', ')}` : '') +
        `.\nOpen the link, sign in with BankID or Freja eID and you are a member (the link works once, until ${data.expiresAt}): ${data.link}\n`,
      data,
    };
  },

  emailVerification(data: { name: string; email: string; verificationToken: string; link: string }): RenderedMail {
    return {
      template: 'email-verification',
      subject: 'Confirm your e-mail address for Kundportal',
      text:
        `Hello ${data.name},\n\nConfirm that ${data.email} is your address: ${data.link}\n` +
        `Until then we send you what you ask for, but do not link tickets sent to us from this address to your account.\n`,
      data,
    };
  },
};
