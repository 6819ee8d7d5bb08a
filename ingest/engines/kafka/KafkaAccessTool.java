import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What Strimzi's User Operator does for a KafkaUser, for the local engine: reads on stdin
 * {"bootstrap", "admin": {"username", "password"}, "users": [{"name", "password", "acls":
 * [{"resource", "prefix", "operations": [...]}], "quotas": {"producer_byte_rate", "consumer_byte_rate"}}]}
 * and, for each user, upserts its SCRAM-SHA-512 credential, sets its quotas and makes its ACLs
 * exactly the given ones (missing ones created, others deleted). Prints one JSON line per user.
 * Passwords travel on stdin only: never on a command line, never printed.
 */
public class KafkaAccessTool {
  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode in = json.readTree(System.in);
    Properties props = new Properties();
    props.put("bootstrap.servers", in.get("bootstrap").asText());
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "SCRAM-SHA-512");
    props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + in.get("admin").get("username").asText() + "\" password=\"" + in.get("admin").get("password").asText() + "\";");
    props.put("request.timeout.ms", "30000");
    try (Admin admin = Admin.create(props)) {
      for (JsonNode user : in.get("users")) {
        String name = user.get("name").asText();
        String principal = "User:" + name;
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
            name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), user.get("password").asText()))).all().get();

        JsonNode quotas = user.get("quotas");
        List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
        quotas.fieldNames().forEachRemaining(key -> ops.add(new ClientQuotaAlteration.Op(key, quotas.get(key).asDouble())));
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, name));
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity, ops))).all().get();

        Set<AclBinding> wanted = new HashSet<>();
        for (JsonNode acl : user.get("acls")) {
          ResourcePattern pattern = new ResourcePattern(ResourceType.valueOf(acl.get("resource").asText()), acl.get("prefix").asText(), PatternType.PREFIXED);
          for (JsonNode op : acl.get("operations")) {
            wanted.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", AclOperation.valueOf(op.asText()), AclPermissionType.ALLOW)));
          }
        }
        AclBindingFilter mine = new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
        Set<AclBinding> existing = new HashSet<>(admin.describeAcls(mine).values().get());
        List<AclBinding> create = wanted.stream().filter(b -> !existing.contains(b)).toList();
        List<AclBindingFilter> delete = existing.stream().filter(b -> !wanted.contains(b)).map(AclBinding::toFilter).toList();
        if (!create.isEmpty()) admin.createAcls(create).all().get();
        if (!delete.isEmpty()) admin.deleteAcls(delete).all().get();

        ObjectNode out = json.createObjectNode();
        out.put("user", name);
        out.put("acls_created", create.size());
        out.put("acls_deleted", delete.size());
        out.put("acls", wanted.size());
        System.out.println(json.writeValueAsString(out));
      }
    }
  }
}
